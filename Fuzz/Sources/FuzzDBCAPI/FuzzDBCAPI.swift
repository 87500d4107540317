// libFuzzer entry point for the db_* C API property (Tests/FuzzProperties/DBCAPIProperty.swift).

import FuzzProperties

// libFuzzer calls in from one thread; the property holds the C API's handle.
private nonisolated(unsafe) let property = propertyOrTrap(DBCAPIProperty.init)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer lends `size` readable bytes at `data` for this call.
    unsafe checkOrTrap(property, data, size)
}
