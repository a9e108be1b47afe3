# Every built-in test kernel, run concretely on fixed inputs, gives the hand-computed numbers in
# tests/kernels/expected/<op>.txt.
. "$(dirname "$0")/lib.inc"
for expected in tests/kernels/expected/*.txt; do
    op=$(basename "$expected" .txt)
    actual=$("$VLIFT" run tests/kernels/builtins.yaml "$op" 2>&1)
    if ! diff -u "$expected" <(printf '%s\n' "$actual") >/tmp/vlift_diff_$$; then
        fail "$op differs from the hand-computed result:"; cat /tmp/vlift_diff_$$
    fi
done
rm -f /tmp/vlift_diff_$$
finish
