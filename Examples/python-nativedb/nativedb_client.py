#!/usr/bin/env python3
"""A Python client of libnativedb.so, written from native_db.h alone (ctypes, standard
library only). It checks the db_* API from Python: set, get, delete, bad input, misuse of a
handle, and several threads on one handle.

Usage: nativedb_client.py LIBNATIVEDB.so DIRECTORY
  (creates DIRECTORY/python.db and leaves it there). Prints each failed check and a
  "N passed, N failed" line; exits 1 when a check failed, 2 on a usage error.

scripts/python-nativedb builds the library as it ships and runs this.
"""

import ctypes
import os
import sys
import threading

# native_db.h's status codes.
DB_OK = 0
DB_NOT_FOUND = -1
DB_INVALID_ARGUMENT = -2
DB_NOT_TEXT = -3
DB_MISUSE = -4
SQLITE_CANTOPEN = 14


def load(path):
    """The library, with every db_* function declared as native_db.h declares it."""
    lib = ctypes.CDLL(path)
    handle = ctypes.c_void_p
    text = ctypes.c_char_p

    lib.db_open.argtypes = [text]
    lib.db_open.restype = handle
    lib.db_close.argtypes = [handle]
    lib.db_close.restype = None
    # The pitfall: db_get returns memory the caller must free with db_free_value. Declared
    # c_char_p, ctypes would copy it into a bytes object and drop the pointer, so it could
    # never be freed (a leak per call). Declare it c_void_p, copy with ctypes.string_at,
    # then free the pointer (see get() below).
    lib.db_get.argtypes = [handle, text]
    lib.db_get.restype = ctypes.c_void_p
    lib.db_set.argtypes = [handle, text, text]
    lib.db_set.restype = ctypes.c_int
    lib.db_delete.argtypes = [handle, text]
    lib.db_delete.restype = ctypes.c_int
    lib.db_free_value.argtypes = [ctypes.c_void_p]
    lib.db_free_value.restype = None
    lib.db_last_status.argtypes = []
    lib.db_last_status.restype = ctypes.c_int
    # A static string, never freed: c_char_p is right here.
    lib.db_status_string.argtypes = [ctypes.c_int]
    lib.db_status_string.restype = ctypes.c_char_p
    return lib


def get(lib, db, key):
    """(value as bytes or None, status): copies the value, then frees the C string."""
    pointer = lib.db_get(db, key)
    status = lib.db_last_status()
    if pointer is None:
        return None, status
    try:
        return ctypes.string_at(pointer), status
    finally:
        lib.db_free_value(pointer)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def expect(self, name, actual, expected):
        with self.lock:
            if actual == expected:
                self.passed += 1
            else:
                self.failed += 1
                print(f"FAILED {name}: got {actual!r}, expected {expected!r}")


def check_set_get_delete(lib, db, checks):
    checks.expect("set", lib.db_set(db, b"name", b"Alice"), DB_OK)
    checks.expect("get", get(lib, db, b"name"), (b"Alice", DB_OK))
    checks.expect("overwrite", lib.db_set(db, b"name", b"Bob"), DB_OK)
    checks.expect("get overwritten", get(lib, db, b"name"), (b"Bob", DB_OK))
    checks.expect("delete", lib.db_delete(db, b"name"), DB_OK)
    checks.expect("get deleted", get(lib, db, b"name"), (None, DB_NOT_FOUND))
    checks.expect("delete missing", lib.db_delete(db, b"name"), DB_NOT_FOUND)
    checks.expect("get missing", get(lib, db, b"missing"), (None, DB_NOT_FOUND))
    # UTF-8 text both ways, and the empty value.
    key, value = "ключ".encode(), "värde ✓".encode()
    checks.expect("set UTF-8", lib.db_set(db, key, value), DB_OK)
    checks.expect("get UTF-8", get(lib, db, key), (value, DB_OK))
    checks.expect("set empty value", lib.db_set(db, b"empty", b""), DB_OK)
    checks.expect("get empty value", get(lib, db, b"empty"), (b"", DB_OK))
    checks.expect("status string", lib.db_status_string(DB_NOT_FOUND), b"no such key")


def check_bad_input(lib, db, directory, checks):
    checks.expect("set NULL key", lib.db_set(db, None, b"v"), DB_INVALID_ARGUMENT)
    checks.expect("set NULL value", lib.db_set(db, b"k", None), DB_INVALID_ARGUMENT)
    checks.expect("set NULL handle", lib.db_set(None, b"k", b"v"), DB_INVALID_ARGUMENT)
    checks.expect("set key not UTF-8", lib.db_set(db, b"bad\xff", b"v"), DB_INVALID_ARGUMENT)
    checks.expect("set value not UTF-8", lib.db_set(db, b"k", b"\xc3\x28"), DB_INVALID_ARGUMENT)
    checks.expect("get NULL key", get(lib, db, None), (None, DB_INVALID_ARGUMENT))
    checks.expect("delete NULL key", lib.db_delete(db, None), DB_INVALID_ARGUMENT)
    checks.expect("open NULL", (lib.db_open(None), lib.db_last_status()), (None, DB_INVALID_ARGUMENT))
    missing = os.path.join(directory, "no-such-directory", "x.db").encode()
    checks.expect("open in a missing directory", (lib.db_open(missing), lib.db_last_status()),
                  (None, SQLITE_CANTOPEN))
    # A C string ends at its first NUL: ctypes passes b"nul\0tail" as "nul" (native_db.h,
    # "Text"), so the key stored is "nul".
    checks.expect("set key with a NUL", lib.db_set(db, b"nul\0tail", b"v"), DB_OK)
    checks.expect("the key ends at the NUL", get(lib, db, b"nul"), (b"v", DB_OK))
    checks.expect("delete key with a NUL", lib.db_delete(db, b"nul"), DB_OK)


def check_misuse(lib, path, checks):
    db = lib.db_open(path)
    checks.expect("open again", db is not None, True)
    lib.db_close(db)
    checks.expect("close", lib.db_last_status(), DB_OK)
    checks.expect("set after close", lib.db_set(db, b"k", b"v"), DB_MISUSE)
    checks.expect("get after close", get(lib, db, b"k"), (None, DB_MISUSE))
    checks.expect("delete after close", lib.db_delete(db, b"k"), DB_MISUSE)
    lib.db_close(db)
    checks.expect("double close", lib.db_last_status(), DB_MISUSE)
    forged = 0x1234
    checks.expect("forged handle", lib.db_set(forged, b"k", b"v"), DB_MISUSE)
    lib.db_close(None)
    checks.expect("close NULL", lib.db_last_status(), DB_OK)


THREADS = 8
ROUNDS = 200


def check_threads(lib, db, checks):
    """THREADS threads share one handle; each sets, reads and deletes keys of its own, and
    its db_last_status is its own (thread-local), whatever the others do meanwhile."""
    start = threading.Barrier(THREADS)

    def work(index):
        start.wait()
        wrong = 0
        for round in range(ROUNDS):
            key = f"thread-{index}-{round}".encode()
            value = f"value {index} {round}".encode()
            wrong += lib.db_set(db, key, value) != DB_OK
            wrong += get(lib, db, key) != (value, DB_OK)
            # Odd threads fail on purpose; their status must not leak to the others.
            if index % 2:
                wrong += get(lib, db, b"missing") != (None, DB_NOT_FOUND)
            else:
                wrong += lib.db_delete(db, key) != DB_OK or lib.db_last_status() != DB_OK
        checks.expect(f"thread {index}: every call as expected", wrong, 0)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Keys left by the odd threads are all there, the even threads' all gone.
    present = sum(get(lib, db, f"thread-{i}-{r}".encode())[0] is not None
                  for i in range(THREADS) for r in range(ROUNDS))
    checks.expect("keys after the threads", present, THREADS // 2 * ROUNDS)


def main(argv):
    if len(argv) != 3:
        print("usage: nativedb_client.py LIBNATIVEDB.so DIRECTORY", file=sys.stderr)
        return 2
    lib = load(argv[1])
    directory = argv[2]
    path = os.path.join(directory, "python.db").encode()
    checks = Checks()

    db = lib.db_open(path)
    checks.expect("open", (db is not None, lib.db_last_status()), (True, DB_OK))
    if db is None:
        print(f"{checks.passed} passed, {checks.failed} failed")
        return 1
    check_set_get_delete(lib, db, checks)
    check_bad_input(lib, db, directory, checks)
    check_threads(lib, db, checks)
    lib.db_set(db, b"kept", b"across close")
    lib.db_close(db)
    check_misuse(lib, path, checks)
    db = lib.db_open(path)
    checks.expect("kept across close", get(lib, db, b"kept"), (b"across close", DB_OK))
    lib.db_close(db)

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
