/* The compatibility rule of native_plugin.h, in one place for every host (the C host and
 * the Swift loader), so both refuse a plugin with the same words. */
#include "native_plugin.h"

#include <stdio.h>

int native_plugin_validate(const native_plugin *table, char *message, size_t capacity) {
    if (table->abi_version != NATIVE_PLUGIN_ABI_VERSION) {
        snprintf(message, capacity, "plugin ABI version %u is not supported (this host supports version %u)",
                 table->abi_version, NATIVE_PLUGIN_ABI_VERSION);
        return 1;
    }
    if (table->struct_size < NATIVE_PLUGIN_TABLE_SIZE_V1) {
        snprintf(message, capacity, "plugin table is %u bytes, smaller than the %u bytes of ABI version %u",
                 table->struct_size, NATIVE_PLUGIN_TABLE_SIZE_V1, NATIVE_PLUGIN_ABI_VERSION);
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
