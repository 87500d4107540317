// libFuzzer entry point for the sized-API property (Tests/FuzzProperties/SizedAPIsProperty.swift).

import FuzzProperties

private let property = SizedAPIsProperty()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer lends `size` readable bytes at `data` for this call.
    unsafe checkOrTrap(property, data, size)
}
