/* manifest: loads suite manifests (YAML, via libyaml; with yaml_tree.c the only files that
 * include yaml.h) into a plan_suite. Every error — YAML syntax, a missing or unknown key, a value of the
 * wrong type, a file that does not exist — is reported as file:line:col naming the key. */
#ifndef VLIFT_MANIFEST_H
#define VLIFT_MANIFEST_H
#include "exec/plan.h"
#include "util/arena.h"
#include "util/diag.h"

/* Loads the manifest at path into the arena. Paths in it are relative to the manifest's
 * directory, or to `source_root` for kernel sources; the environment variable
 * VLIFT_SOURCE_ROOT_<SUITE> (suite name upper-cased, non-alphanumerics as '_') overrides
 * source_root. Returns NULL and fills err on failure. */
plan_suite *manifest_load(arena *a, const char *path, diag *err);

#endif
