// libFuzzer entry point for the database-model property
// (Tests/FuzzProperties/DatabaseModelProperty.swift).

import FuzzProperties

private let property: DatabaseModelProperty = {
    do {
        return try DatabaseModelProperty()
    } catch {
        fatalError("opening the in-memory database: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkOrTrap(property, data, size)
}
