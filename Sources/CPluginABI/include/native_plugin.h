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
 * non-NULL; the name and the version are each one line of UTF-8 text (1 to 255 bytes, no
 * control characters), which a host can print as it is.
 *
 * Unloading. Hosts open plugins with RTLD_NODELETE, so dlclose leaves the library
 * mapped: a plugin written in Swift registers its type metadata with the Swift runtime,
 * which keeps pointers into the library for the life of the process (a Swift process that
 * unloads one crashes in a later dynamic cast). dlclose is still called, once per dlopen.
 *
 * Errors. create and process return NATIVE_PLUGIN_OK (0) or a non-zero error code. On
 * success they leave *error_message NULL. On failure they may set *error_message to a
 * NUL-terminated UTF-8 message the plugin allocated, which the host frees with
 * free_memory; a failed create's *instance is ignored (never destroyed), a failed
 * process's *output is freed with free_memory when it is not NULL.
 *
 * Output. On success process sets *output_length to at most NATIVE_PLUGIN_OUTPUT_LIMIT
 * bytes, and *output to that many bytes, or to NULL when the length is 0: NULL with length
 * 0 is the empty output (a non-NULL buffer with length 0 is empty too, and freed).
 *
 * Checking a plugin. A host does not trust what a plugin hands back. native_plugin_validate
 * checks the table; native_plugin_check_create and native_plugin_check_process check every
 * value create and process return, and native_plugin_check_message says in fixed words
 * which rule a plugin broke. After a broken rule the host frees the message and the output
 * a plugin returned (free_memory ignores NULL) and destroys an instance that create
 * returned with NATIVE_PLUGIN_OK, then reports the failure. The checks are defined here,
 * static inline, so that a host written from this header alone has them with nothing to
 * link, and every host (plugin-host in C, PluginKit's loader in Swift) runs the same code
 * and refuses a plugin with the same words.
 *
 * Calls. Before each call of create and process the host sets every out-parameter to its
 * empty value: *instance and *error_message to NULL for create; *output to NULL,
 * *output_length to 0 and *error_message to NULL for process. The checks above rely on
 * it (a plugin that sets nothing on success leaves the empty values). process may be
 * called any number of times on one instance, each call independent of the others'
 * outputs (each output is the caller's until it frees it); destroy is called once, last.
 *
 * Threads. One instance is used by one thread at a time: the host never overlaps calls on
 * an instance, but successive calls may come from different threads. create, and calls on
 * different instances, may run on several threads at once, so a plugin keeps no mutable
 * state outside its instances (or guards it). free_memory may be called from any thread.
 *
 * Building a plugin in C: implement the table, export native_plugin_entry (default
 * visibility), and build with one line:
 *
 *     cc -std=c11 -shared -fPIC -I Sources/CPluginABI/include plugin.c -o libplugin.so
 *
 * then run it with `plugin-host ./libplugin.so < input`. Tests/PluginFixtures/malformed.c
 * built without flags is such a plugin (it echoes its input); PluginKit writes one in Swift.
 */
#ifndef NATIVE_PLUGIN_H
#define NATIVE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds annotations, seen only by Swift's importer (every other compiler gets nothing):
 * NATIVE_PLUGIN_COUNTED_BY(n) says a pointer holds `n` elements, NATIVE_PLUGIN_NOESCAPE
 * that the function does not keep it, so Swift also imports the function taking a
 * MutableSpan instead of the pointer and its length. What a plugin hands back
 * (native_plugin_check_process's output and length) is not annotated: checking whether
 * that pair is consistent is the function's job. A Swift importer without
 * SafeInteropWrappers gets nothing either: it cannot parse a count named after its pointer. */
#if defined(__swift__) && defined(__has_feature) && defined(__has_attribute)
#if __has_feature(bounds_safety_attributes) && __has_attribute(__noescape__)
#define NATIVE_PLUGIN_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define NATIVE_PLUGIN_NOESCAPE __attribute__((__noescape__))
#endif
#endif
#ifndef NATIVE_PLUGIN_COUNTED_BY
#define NATIVE_PLUGIN_COUNTED_BY(n)
#define NATIVE_PLUGIN_NOESCAPE
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

/** The most bytes one call of process may return: 1 GiB. A larger length is taken for a
 *  broken plugin (an uninitialised or negative length), never read. */
#define NATIVE_PLUGIN_OUTPUT_LIMIT ((size_t)1 << 30)

/** The longest name or version a plugin may have, in bytes. */
#define NATIVE_PLUGIN_TEXT_LIMIT 255u

/** What a check found: NATIVE_PLUGIN_VALID, or which rule of this header a plugin broke. */
typedef enum native_plugin_check {
    NATIVE_PLUGIN_VALID = 0,
    /* The table (native_plugin_validate). */
    NATIVE_PLUGIN_UNSUPPORTED_VERSION = 1,
    NATIVE_PLUGIN_TRUNCATED_TABLE = 2,
    NATIVE_PLUGIN_NULL_FIELD = 3,
    NATIVE_PLUGIN_BAD_NAME = 4,
    NATIVE_PLUGIN_BAD_VERSION = 5,
    /* What create returned (native_plugin_check_create). */
    NATIVE_PLUGIN_CREATE_NO_INSTANCE = 6,
    NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS = 7,
    NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8 = 8,
    /* What process returned (native_plugin_check_process). */
    NATIVE_PLUGIN_PROCESS_NULL_OUTPUT = 9,
    NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG = 10,
    NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS = 11,
    NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8 = 12,
} native_plugin_check;

/** The rule `check` stands for, in the words every host prints: a static string. For the
 *  table's checks, native_plugin_validate writes a more precise line. */
static inline const char *native_plugin_check_message(native_plugin_check check) {
    switch (check) {
    case NATIVE_PLUGIN_VALID:
        return "the plugin kept the ABI's rules";
    case NATIVE_PLUGIN_UNSUPPORTED_VERSION:
        return "plugin ABI version is not supported";
    case NATIVE_PLUGIN_TRUNCATED_TABLE:
        return "plugin table is smaller than its ABI version's";
    case NATIVE_PLUGIN_NULL_FIELD:
        return "plugin table has a NULL field";
    case NATIVE_PLUGIN_BAD_NAME:
        return "plugin name is not one line of UTF-8 text";
    case NATIVE_PLUGIN_BAD_VERSION:
        return "plugin version is not one line of UTF-8 text";
    case NATIVE_PLUGIN_CREATE_NO_INSTANCE:
        return "the plugin broke the ABI: create returned OK without an instance (NULL)";
    case NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS:
        return "the plugin broke the ABI: create returned OK with an error message";
    case NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8:
        return "the plugin broke the ABI: create failed with an error message that is not UTF-8";
    case NATIVE_PLUGIN_PROCESS_NULL_OUTPUT:
        return "the plugin broke the ABI: process returned OK with a NULL output of non-zero length";
    case NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG:
        return "the plugin broke the ABI: process returned an output length over the 1 GiB limit";
    case NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS:
        return "the plugin broke the ABI: process returned OK with an error message";
    case NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8:
        return "the plugin broke the ABI: process failed with an error message that is not UTF-8";
    }
    return "the plugin broke the ABI";
}

/** Whether the NUL-terminated `text` is UTF-8: no overlong forms, surrogates, code points
 *  past U+10FFFF or cut sequences. Returns 1, or 0 with the offset of the first byte that
 *  does not begin a well-formed sequence in *invalid_offset (when that is not NULL).
 *  Reads no further than the NUL. */
static inline int native_plugin_is_utf8(const char *text, size_t *invalid_offset) {
    const unsigned char *bytes = (const unsigned char *)text;
    size_t index = 0;
    while (bytes[index] != 0) {
        unsigned char lead = bytes[index];
        size_t length = 1;
        /* The valid range of the second byte depends on the lead byte (Unicode Table 3-7);
         * later continuation bytes are 0x80...0xBF. */
        unsigned char low = 0x80, high = 0xBF;
        if (lead < 0x80) {
            length = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead == 0xE0) {
            length = 3;
            low = 0xA0;
        } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
            length = 3;
        } else if (lead == 0xED) {
            length = 3;
            high = 0x9F;
        } else if (lead == 0xF0) {
            length = 4;
            low = 0x90;
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            length = 4;
        } else if (lead == 0xF4) {
            length = 4;
            high = 0x8F;
        } else {
            length = 0;
        }
        for (size_t position = 1; position < length; position++) {
            /* The NUL is below `low`, so the loop stops at it. */
            unsigned char byte = bytes[index + position];
            if (byte < low || byte > high) {
                length = 0;
                break;
            }
            low = 0x80;
            high = 0xBF;
        }
        if (length == 0) {
            if (invalid_offset != NULL) {
                *invalid_offset = index;
            }
            return 0;
        }
        index += length;
    }
    return 1;
}

/** Checks the table's name or version (`field` says which) for native_plugin_validate:
 *  1 to NATIVE_PLUGIN_TEXT_LIMIT bytes of UTF-8, no control characters. */
static inline native_plugin_check native_plugin_validate_text(const char *text, const char *field,
                                                              native_plugin_check broken,
                                                              char *NATIVE_PLUGIN_COUNTED_BY(capacity)
                                                                  NATIVE_PLUGIN_NOESCAPE message,
                                                              size_t capacity) {
    size_t length = 0;
    while (text[length] != 0 && length <= NATIVE_PLUGIN_TEXT_LIMIT) {
        length++;
    }
    size_t offset = 0;
    if (length == 0) {
        snprintf(message, capacity, "plugin %s is empty", field);
    } else if (length > NATIVE_PLUGIN_TEXT_LIMIT) {
        snprintf(message, capacity, "plugin %s is longer than %u bytes", field, NATIVE_PLUGIN_TEXT_LIMIT);
    } else if (!native_plugin_is_utf8(text, &offset)) {
        snprintf(message, capacity, "plugin %s is not UTF-8 (invalid byte at offset %zu)", field, offset);
    } else {
        for (offset = 0; offset < length; offset++) {
            unsigned char byte = (unsigned char)text[offset];
            if (byte < 0x20 || byte == 0x7F) {
                snprintf(message, capacity, "plugin %s holds a control character at offset %zu", field, offset);
                return broken;
            }
        }
        return NATIVE_PLUGIN_VALID;
    }
    return broken;
}

/** Applies the compatibility rule to `table`. Returns NATIVE_PLUGIN_VALID (0) when the host
 *  may use it; otherwise writes one line saying what is wrong into `message` (at most
 *  `capacity` bytes, with its NUL) and returns the rule it breaks. `table` must not be
 *  NULL. */
static inline native_plugin_check native_plugin_validate(const native_plugin *table,
                                                         char *NATIVE_PLUGIN_COUNTED_BY(capacity)
                                                             NATIVE_PLUGIN_NOESCAPE message,
                                                         size_t capacity) {
    if (table->abi_version != NATIVE_PLUGIN_ABI_VERSION) {
        snprintf(message, capacity, "plugin ABI version %u is not supported (this host supports version %u)",
                 (unsigned)table->abi_version, (unsigned)NATIVE_PLUGIN_ABI_VERSION);
        return NATIVE_PLUGIN_UNSUPPORTED_VERSION;
    }
    if (table->struct_size < NATIVE_PLUGIN_TABLE_SIZE_V1) {
        snprintf(message, capacity, "plugin table is %u bytes, smaller than the %u bytes of ABI version %u",
                 (unsigned)table->struct_size, (unsigned)NATIVE_PLUGIN_TABLE_SIZE_V1,
                 (unsigned)NATIVE_PLUGIN_ABI_VERSION);
        return NATIVE_PLUGIN_TRUNCATED_TABLE;
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
        return NATIVE_PLUGIN_NULL_FIELD;
    }
    native_plugin_check text =
        native_plugin_validate_text(table->name, "name", NATIVE_PLUGIN_BAD_NAME, message, capacity);
    if (text == NATIVE_PLUGIN_VALID) {
        text = native_plugin_validate_text(table->version, "version", NATIVE_PLUGIN_BAD_VERSION, message, capacity);
    }
    return text;
}

/** Checks what create handed back: `code` (its result), the *instance and *error_message
 *  it set (the host sets both to NULL before the call). */
static inline native_plugin_check native_plugin_check_create(int code, const void *instance,
                                                             const char *error_message) {
    if (code == NATIVE_PLUGIN_OK) {
        if (instance == NULL) {
            return NATIVE_PLUGIN_CREATE_NO_INSTANCE;
        }
        if (error_message != NULL) {
            return NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS;
        }
    } else if (error_message != NULL && !native_plugin_is_utf8(error_message, NULL)) {
        return NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8;
    }
    return NATIVE_PLUGIN_VALID;
}

/** Checks what process handed back: `code` (its result), the *output, *output_length and
 *  *error_message it set (the host sets them to NULL, 0 and NULL before the call). */
static inline native_plugin_check native_plugin_check_process(int code, const uint8_t *output,
                                                              size_t output_length, const char *error_message) {
    if (code == NATIVE_PLUGIN_OK) {
        if (error_message != NULL) {
            return NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS;
        }
        if (output_length > NATIVE_PLUGIN_OUTPUT_LIMIT) {
            return NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG;
        }
        if (output == NULL && output_length > 0) {
            return NATIVE_PLUGIN_PROCESS_NULL_OUTPUT;
        }
    } else if (error_message != NULL && !native_plugin_is_utf8(error_message, NULL)) {
        return NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8;
    }
    return NATIVE_PLUGIN_VALID;
}

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_PLUGIN_H */
