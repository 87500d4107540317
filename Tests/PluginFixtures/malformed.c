/* Plugins that are wrong on purpose, one per -DCASE_… flag, built by PluginKitTests. */
#include "native_plugin.h"

#include <stdlib.h>
#include <string.h>

static char *message(const char *text) {
    char *copy = malloc(strlen(text) + 1);
    if (copy != NULL) {
        strcpy(copy, text);
    }
    return copy;
}

static int create(const native_plugin *plugin, const char *config, void **instance, char **error_message) {
    (void)plugin;
    (void)config;
#ifdef CASE_CREATE_FAILS
    *instance = NULL;
    *error_message = message("refused on purpose");
    return NATIVE_PLUGIN_ERROR_INVALID_CONFIG;
#else
    *error_message = NULL;
    *instance = malloc(1);
    return *instance == NULL ? NATIVE_PLUGIN_ERROR_INTERNAL : NATIVE_PLUGIN_OK;
#endif
}

static int process(void *instance, const uint8_t *input, size_t input_length, uint8_t **output,
                   size_t *output_length, char **error_message) {
    (void)instance;
#ifdef CASE_PROCESS_FAILS
    (void)input;
    (void)input_length;
    *output = NULL;
    *output_length = 0;
    *error_message = message("bad input on purpose");
    return NATIVE_PLUGIN_ERROR_INVALID_INPUT;
#else
    *error_message = NULL;
    *output = malloc(input_length == 0 ? 1 : input_length);
    if (*output == NULL) {
        return NATIVE_PLUGIN_ERROR_INTERNAL;
    }
    memcpy(*output, input, input_length);
    *output_length = input_length;
    return NATIVE_PLUGIN_OK;
#endif
}

static void free_memory(void *memory) {
    free(memory);
}

static void destroy(void *instance) {
    free(instance);
}

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
#ifdef CASE_NULL_NAME
    .name = NULL,
#else
    .name = "fixture",
#endif
    .version = "0.1",
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
