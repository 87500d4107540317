/* Plugins that are wrong on purpose, one per -DCASE_… flag, built by PluginKitTests. Without
 * a flag it is a well-behaved plugin named "fixture" that echoes its input. */
#include "native_plugin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks handed to the host (outputs and messages) that its free_memory has not freed yet.
 * With -DCOUNT_BLOCKS (beside any case), the input "live?" is answered with this count, in
 * decimal, taken before the answer's own block: how tests see that a host frees what it is
 * lent, and when. */
static long live_blocks;

static void *counted(void *block) {
    if (block != NULL) {
        live_blocks++;
    }
    return block;
}

static inline char *message(const char *text) {
    char *copy = counted(malloc(strlen(text) + 1));
    if (copy != NULL) {
        strcpy(copy, text);
    }
    return copy;
}

static int create(const native_plugin *plugin, const char *config, void **instance, char **error_message) {
    (void)plugin;
    (void)config;
#if defined(CASE_CREATE_FAILS)
    *instance = NULL;
    *error_message = message("refused on purpose");
    return NATIVE_PLUGIN_ERROR_INVALID_CONFIG;
#elif defined(CASE_CREATE_NULL_INSTANCE)
    *instance = NULL;
    *error_message = NULL;
    return NATIVE_PLUGIN_OK;
#elif defined(CASE_CREATE_MESSAGE_NOT_UTF8)
    *instance = NULL;
    *error_message = message("refused \xFF on purpose");
    return NATIVE_PLUGIN_ERROR_INVALID_CONFIG;
#else
    *instance = malloc(1);
#if defined(CASE_CREATE_MESSAGE_ON_SUCCESS)
    *error_message = message("created, and yet a message");
#else
    *error_message = NULL;
#endif
    return *instance == NULL ? NATIVE_PLUGIN_ERROR_INTERNAL : NATIVE_PLUGIN_OK;
#endif
}

static int process(void *instance, const uint8_t *input, size_t input_length, uint8_t **output,
                   size_t *output_length, char **error_message) {
    (void)instance;
#if defined(COUNT_BLOCKS)
    if (input_length == 5 && memcmp(input, "live?", 5) == 0) {
        char answer[24];
        int length = snprintf(answer, sizeof answer, "%ld", live_blocks);
        *error_message = NULL;
        *output = counted(malloc((size_t)length));
        if (*output == NULL) {
            return NATIVE_PLUGIN_ERROR_INTERNAL;
        }
        memcpy(*output, answer, (size_t)length);
        *output_length = (size_t)length;
        return NATIVE_PLUGIN_OK;
    }
#endif
#if defined(CASE_PROCESS_FAILS) || defined(CASE_PROCESS_FAILS_SILENTLY) || defined(CASE_PROCESS_MESSAGE_NOT_UTF8)
    (void)input;
    (void)input_length;
    *output = NULL;
    *output_length = 0;
#if defined(CASE_PROCESS_FAILS)
    *error_message = message("bad input on purpose");
    return NATIVE_PLUGIN_ERROR_INVALID_INPUT;
#elif defined(CASE_PROCESS_FAILS_SILENTLY)
    *error_message = NULL;
    return NATIVE_PLUGIN_ERROR_INTERNAL;
#else
    *error_message = message("bad \xC3\x28 input");
    return NATIVE_PLUGIN_ERROR_INVALID_INPUT;
#endif
#elif defined(CASE_PROCESS_NULL_OUTPUT) || defined(CASE_PROCESS_EMPTY_OUTPUT)
    (void)input;
    *error_message = NULL;
    *output = NULL;
#if defined(CASE_PROCESS_NULL_OUTPUT)
    *output_length = input_length;
#else
    (void)input_length;
    *output_length = 0;
#endif
    return NATIVE_PLUGIN_OK;
#else
    *error_message = NULL;
    *output = counted(malloc(input_length == 0 ? 1 : input_length));
    if (*output == NULL) {
        return NATIVE_PLUGIN_ERROR_INTERNAL;
    }
    memcpy(*output, input, input_length);
#if defined(CASE_PROCESS_LENGTH_MAX)
    *output_length = SIZE_MAX;
#elif defined(CASE_PROCESS_OVER_LIMIT)
    *output_length = NATIVE_PLUGIN_OUTPUT_LIMIT + 1;
#else
    *output_length = input_length;
#endif
#if defined(CASE_PROCESS_MESSAGE_ON_SUCCESS)
    *error_message = message("processed, and yet a message");
#endif
    return NATIVE_PLUGIN_OK;
#endif
}

static void free_memory(void *memory) {
    if (memory != NULL) {
        live_blocks--;
    }
    free(memory);
}

static void destroy(void *instance) {
    free(instance);
}

#define X16 "xxxxxxxxxxxxxxxx"

static const native_plugin table = {
#ifdef CASE_WRONG_VERSION
    .abi_version = 2,
#else
    .abi_version = NATIVE_PLUGIN_ABI_VERSION,
#endif
#ifdef CASE_TRUNCATED
    .struct_size = 16,
#else
    .struct_size = sizeof(native_plugin),
#endif
#if defined(CASE_NULL_NAME)
    .name = NULL,
#elif defined(CASE_NAME_NOT_UTF8)
    .name = "fix\xC3\x28ture",
#elif defined(CASE_NAME_EMPTY)
    .name = "",
#elif defined(CASE_NAME_CONTROL)
    .name = "fix\nture",
#elif defined(CASE_NAME_TOO_LONG)
    /* 256 bytes: one past NATIVE_PLUGIN_TEXT_LIMIT. */
    .name = X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16,
#else
    .name = "fixture",
#endif
#if defined(CASE_VERSION_NOT_UTF8)
    .version = "0.\xFF",
#else
    .version = "0.1",
#endif
    .create = create,
#ifdef CASE_NULL_PROCESS
    .process = NULL,
#else
    .process = process,
#endif
    .free_memory = free_memory,
    .destroy = destroy,
};

#ifdef CASE_NO_ENTRY
const native_plugin *some_other_symbol(void) {
    return &table;
}
#else
const native_plugin *native_plugin_entry(void) {
#ifdef CASE_NULL_TABLE
    return NULL;
#else
    return &table;
#endif
}
#endif
