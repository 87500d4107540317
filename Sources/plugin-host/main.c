/* plugin-host: runs a native_plugin library over standard input.
 *
 *   plugin-host PLUGIN.so [--config TEXT]
 *   plugin-host --help
 *
 * Writes the plugin's output to standard output. On any failure prints one line to
 * standard error and exits non-zero: 2 usage, 3 the plugin cannot be loaded or is
 * incompatible, 4 create failed, 5 process failed, 6 reading or writing failed. Every value
 * the plugin hands back goes through the checks of native_plugin.h first, so a plugin that
 * breaks the ABI is refused in the same words as by PluginKit's loader. It frees
 * everything the plugin returned and unloads it. */
#define _POSIX_C_SOURCE 200809L
#include "native_plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "usage: plugin-host PLUGIN.so [--config TEXT]"

enum { EXIT_USAGE = 2, EXIT_LOAD = 3, EXIT_CREATE = 4, EXIT_PROCESS = 5, EXIT_IO = 6 };

static int fail(int status, const char *format, const char *subject, const char *detail) {
    fprintf(stderr, "plugin-host: ");
    fprintf(stderr, format, subject, detail);
    fputc('\n', stderr);
    return status;
}

/* Reads all of standard input into a malloc'd buffer. */
static uint8_t *read_all(size_t *length) {
    size_t capacity = 65536, used = 0;
    uint8_t *buffer = malloc(capacity);
    while (buffer != NULL) {
        size_t got = fread(buffer + used, 1, capacity - used, stdin);
        used += got;
        if (got == 0) {
            if (ferror(stdin)) {
                free(buffer);
                return NULL;
            }
            *length = used;
            return buffer;
        }
        if (used == capacity) {
            uint8_t *larger = capacity > SIZE_MAX / 2 ? NULL : realloc(buffer, capacity * 2);
            if (larger == NULL) {
                free(buffer);
                return NULL;
            }
            buffer = larger;
            capacity *= 2;
        }
    }
    return NULL;
}

/* Reports a plugin's failure, or the rule it broke (native_plugin_check_message), after
 * "could not create an instance" or "could not process the input". */
static int plugin_failed(int status, const native_plugin *plugin, const char *action, native_plugin_check check,
                         int code, const char *error_message) {
    if (check != NATIVE_PLUGIN_VALID) {
        fprintf(stderr, "plugin-host: %s: could not %s: %s\n", plugin->name, action, native_plugin_check_message(check));
    } else {
        fprintf(stderr, "plugin-host: %s: could not %s: %s (error %d)\n", plugin->name, action,
                error_message ? error_message : "no message", code);
    }
    return status;
}

static int run(const native_plugin *plugin, const char *config) {
    void *instance = NULL;
    char *error_message = NULL;
    int code = plugin->create(plugin, config, &instance, &error_message);
    native_plugin_check check = native_plugin_check_create(code, instance, error_message);
    if (code != NATIVE_PLUGIN_OK || check != NATIVE_PLUGIN_VALID) {
        int status = plugin_failed(EXIT_CREATE, plugin, "create an instance", check, code, error_message);
        plugin->free_memory(error_message);
        if (code == NATIVE_PLUGIN_OK && instance != NULL) {
            plugin->destroy(instance);
        }
        return status;
    }

    size_t input_length = 0;
    uint8_t *input = read_all(&input_length);
    if (input == NULL) {
        plugin->destroy(instance);
        return fail(EXIT_IO, "%s: %s", "standard input", "cannot be read");
    }
    uint8_t *output = NULL;
    size_t output_length = 0;
    /* error_message is NULL again: the create check refuses a message with OK. */
    code = plugin->process(instance, input, input_length, &output, &output_length, &error_message);
    free(input);
    check = native_plugin_check_process(code, output, output_length, error_message);
    int status = 0;
    if (code != NATIVE_PLUGIN_OK || check != NATIVE_PLUGIN_VALID) {
        status = plugin_failed(EXIT_PROCESS, plugin, "process the input", check, code, error_message);
    } else if ((output_length > 0 && fwrite(output, 1, output_length, stdout) != output_length) ||
               fflush(stdout) != 0) {
        status = fail(EXIT_IO, "%s: %s", "standard output", "cannot be written");
    }
    plugin->free_memory(error_message);
    plugin->free_memory(output);
    plugin->destroy(instance);
    return status;
}

int main(int argc, char **argv) {
    const char *config = NULL;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(USAGE "\n"
                    "Runs the native_plugin library PLUGIN.so over standard input and writes its output to\n"
                    "standard output. --config TEXT is passed to the plugin's create.\n"
                    "Exit status: 0 success, 2 usage, 3 the plugin cannot be loaded or is incompatible,\n"
                    "4 create failed, 5 process failed, 6 reading or writing failed.\n",
              stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_IO;
    }
    /* A plugin path that begins with '-' is written ./-name, as for any program. */
    if (argc == 4 && strcmp(argv[2], "--config") == 0 && argv[1][0] != '-') {
        config = argv[3];
    } else if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, USAGE "\n");
        return EXIT_USAGE;
    }
    const char *path = argv[1];
    if (access(path, F_OK) != 0) {
        return fail(EXIT_LOAD, "%s: %s", path, "no such file");
    }
    /* A path without a slash would make dlopen search the library path instead. */
    char local[4096];
    if (strchr(path, '/') == NULL && snprintf(local, sizeof local, "./%s", path) < (int)sizeof local) {
        path = local;
    }
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (library == NULL) {
        return fail(EXIT_LOAD, "%s: not a loadable shared object (%s)", argv[1], dlerror());
    }
    int status;
    native_plugin_entry_function entry;
    void *symbol = dlsym(library, NATIVE_PLUGIN_ENTRY_SYMBOL);
    memcpy(&entry, &symbol, sizeof entry); /* object pointer to function pointer, as POSIX allows */
    const native_plugin *plugin = symbol == NULL ? NULL : entry();
    char problem[256];
    if (symbol == NULL) {
        status = fail(EXIT_LOAD, "%s: %s", argv[1], "no native_plugin_entry symbol");
    } else if (plugin == NULL) {
        status = fail(EXIT_LOAD, "%s: %s", argv[1], "native_plugin_entry returned NULL");
    } else if (native_plugin_validate(plugin, problem, sizeof problem) != 0) {
        status = fail(EXIT_LOAD, "%s: %s", argv[1], problem);
    } else {
        status = run(plugin, config);
    }
    dlclose(library);
    return status;
}
