// libFuzzer entry point for the database-model property
// (Tests/FuzzProperties/DatabaseModelProperty.swift).

import FuzzProperties

private let property = propertyOrTrap(DatabaseModelProperty.init)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer lends `size` readable bytes at `data` for this call.
    unsafe checkOrTrap(property, data, size)
}
