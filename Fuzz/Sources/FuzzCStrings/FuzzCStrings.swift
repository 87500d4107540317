// libFuzzer entry point for the C-string property (Tests/FuzzProperties/CStringsProperty.swift).

import FuzzProperties

private let property = CStringsProperty()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkOrTrap(property, data, size)
}
