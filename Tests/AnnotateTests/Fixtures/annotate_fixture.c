/* The fixture's shared reference type, with a count of live keys: a test compiles this with
 * a Swift client of the generated notes and checks that every key is released exactly once. */
#include "annotate_fixture.h"
#include <stdlib.h>

struct fixture_key_st {
    int references;
};

static long live;
static FIXTURE_KEY *default_key;

FIXTURE_KEY *FIXTURE_KEY_new(void) {
    FIXTURE_KEY *key = malloc(sizeof *key);
    if (key) {
        key->references = 1;
        live++;
    }
    return key;
}

FIXTURE_KEY *FIXTURE_KEY_dup(const FIXTURE_KEY *key) {
    return key ? FIXTURE_KEY_new() : NULL;
}

int FIXTURE_KEY_up_ref(FIXTURE_KEY *key) {
    key->references++;
    return 1;
}

void FIXTURE_KEY_free(FIXTURE_KEY *key) {
    if (!key) return;
    if (key->references <= 0) abort(); /* released once too often */
    if (--key->references == 0) {
        live--;
        free(key);
    }
}

const FIXTURE_KEY *fixture_get0_default_key(void) {
    if (!default_key) default_key = FIXTURE_KEY_new();
    return default_key;
}

void fixture_release_default_key(void) {
    FIXTURE_KEY_free(default_key);
    default_key = NULL;
}

long fixture_key_live(void) {
    return live;
}
