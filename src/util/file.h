/* file: whole-file reading and path helpers. */
#ifndef VLIFT_FILE_H
#define VLIFT_FILE_H
#include "util/arena.h"
#include <stdbool.h>
#include <stddef.h>
/* Reads the file into the arena, NUL-terminated. Returns NULL and sets errno on failure. */
char *file_read(arena *a, const char *path, size_t *len_out);
/* Copies a file's bytes (a hard link is not attempted); false on any I/O error. */
bool file_copy(const char *from, const char *to);
/* Joins dir-of(base_file) and rel unless rel is absolute. */
char *path_join_dir(arena *a, const char *base_file, const char *rel);
/* The directory of the running executable (/proc/self/exe), into buf; false when unknown. Data
 * files installed beside the binary (../suites, ../plots) are found from it. */
bool path_exe_dir(char *buf, size_t size);
/* Writes all len bytes to fd, retrying short writes and EINTR; false on any other failure. */
bool fd_write_all(int fd, const void *data, size_t len);
#endif
