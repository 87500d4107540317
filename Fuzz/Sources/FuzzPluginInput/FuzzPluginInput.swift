// libFuzzer entry point for the plugin-input property
// (Tests/FuzzProperties/PluginInputProperty.swift). Set FUZZ_PLUGIN to the uppercase
// plugin's library (Fuzz/run does).

import FuzzProperties
import Glibc
import PluginKit

private let property = propertyOrTrap { () throws(PluginError) in
    // SAFETY: getenv returns NULL or a NUL-terminated string, copied at once.
    let path =
        unsafe getenv("FUZZ_PLUGIN").map { unsafe String(cString: $0) } ?? "../.build/debug/libuppercase-plugin.so"
    return PluginInputProperty(library: try PluginLibrary(path: path))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer lends `size` readable bytes at `data` for this call.
    unsafe checkOrTrap(property, data, size)
}
