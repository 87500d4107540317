/*
 * native_plugin.h — the C ABI between a host program and a plugin library.
 *
 * A plugin is a shared library exporting
 *
 *     const native_plugin *native_plugin_entry(void);
 *
 * which returns its table: static, valid until the library is unloaded, never freed by
 * the host. The host calls the table's functions; pointers they return are owned as
 * stated below.
 *
 * Compatibility rule. A host accepts a table whose abi_version equals the version it was
 * built for (NATIVE_PLUGIN_ABI_VERSION) and whose struct_size is at least the size of the
 * table it knows (NATIVE_PLUGIN_TABLE_SIZE_V1 for version 1). A newer plugin may append
 * fields (a larger struct_size): an older host ignores them. A smaller struct_size is a
 * truncated table and is refused. Every function pointer and both strings must be
 * non-NULL. native_plugin_validate applies this rule and says what is wrong. It is defined
 * here, static inline, so that a host written from this header alone has it, with nothing
 * to link, and every host (plugin-host in C, PluginKit's loader in Swift) runs the same code.
 *
 * Unloading. Hosts open plugins with RTLD_NODELETE, so dlclose leaves the library
 * mapped: a plugin written in Swift registers its type metadata with the Swift runtime,
 * which keeps pointers into the library for the life of the process (a Swift process that
 * unloaded one crashed in a later dynamic cast). dlclose is still called, once per dlopen.
 *
 * Errors. create and process return NATIVE_PLUGIN_OK (0) or a non-zero error code, and
 * then set *error_message to a NUL-terminated UTF-8 message the plugin allocated, which
 * the host frees with free_memory (a plugin may leave it NULL).
 */
#ifndef NATIVE_PLUGIN_H
#define NATIVE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NATIVE_PLUGIN_ABI_VERSION 1u

enum {
    NATIVE_PLUGIN_OK = 0,
    NATIVE_PLUGIN_ERROR_INVALID_CONFIG = 1, /* create: the configuration is refused */
    NATIVE_PLUGIN_ERROR_INVALID_INPUT = 2,  /* process: the input is refused */
    NATIVE_PLUGIN_ERROR_INTERNAL = 3,       /* anything else, out of memory included */
};

typedef struct native_plugin native_plugin;

struct native_plugin {
    /** NATIVE_PLUGIN_ABI_VERSION of the header the plugin was built with. */
    uint32_t abi_version;
    /** sizeof(native_plugin) as the plugin knows it. */
    uint32_t struct_size;
    /** Static: the plugin's name, UTF-8. */
    const char *name;
    /** Static: the plugin's version, UTF-8. */
    const char *version;
    /** Creates an instance from `config` (NUL-terminated UTF-8, or NULL for the default).
     *  `plugin` is this table. On success sets *instance (destroy it with destroy). */
    int (*create)(const native_plugin *plugin, const char *config, void **instance, char **error_message);
    /** Transforms `input_length` bytes (borrowed for the call) into *output, *output_length
     *  bytes the plugin allocated (free with free_memory; may be NULL when the length is 0). */
    int (*process)(void *instance, const uint8_t *input, size_t input_length, uint8_t **output,
                   size_t *output_length, char **error_message);
    /** Frees an output buffer or an error message the plugin returned. NULL is ignored. */
    void (*free_memory)(void *memory);
    /** Destroys an instance from create. */
    void (*destroy)(void *instance);
};

/** The size of a version-1 table: a host needs at least this much. */
#define NATIVE_PLUGIN_TABLE_SIZE_V1 ((uint32_t)(offsetof(native_plugin, destroy) + sizeof(void (*)(void *))))

/** The symbol every plugin exports. */
#define NATIVE_PLUGIN_ENTRY_SYMBOL "native_plugin_entry"

typedef const native_plugin *(*native_plugin_entry_function)(void);

/** Applies the compatibility rule to `table`. Returns 0 when the host may use it; otherwise
 *  writes one line saying what is wrong into `message` (at most `capacity` bytes, with its
 *  NUL) and returns non-zero. `table` must not be NULL. */
static inline int native_plugin_validate(const native_plugin *table, char *message, size_t capacity) {
    if (table->abi_version != NATIVE_PLUGIN_ABI_VERSION) {
        snprintf(message, capacity, "plugin ABI version %u is not supported (this host supports version %u)",
                 (unsigned)table->abi_version, (unsigned)NATIVE_PLUGIN_ABI_VERSION);
        return 1;
    }
    if (table->struct_size < NATIVE_PLUGIN_TABLE_SIZE_V1) {
        snprintf(message, capacity, "plugin table is %u bytes, smaller than the %u bytes of ABI version %u",
                 (unsigned)table->struct_size, (unsigned)NATIVE_PLUGIN_TABLE_SIZE_V1,
                 (unsigned)NATIVE_PLUGIN_ABI_VERSION);
        return 1;
    }
    const char *missing = table->name == NULL        ? "name"
                          : table->version == NULL     ? "version"
                          : table->create == NULL      ? "create"
                          : table->process == NULL     ? "process"
                          : table->free_memory == NULL ? "free_memory"
                          : table->destroy == NULL     ? "destroy"
                                                       : NULL;
    if (missing != NULL) {
        snprintf(message, capacity, "plugin table has no %s (NULL)", missing);
        return 1;
    }
    return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_PLUGIN_H */
