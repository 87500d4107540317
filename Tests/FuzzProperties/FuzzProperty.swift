// The properties the fuzz targets check, one type a target, shared by the libFuzzer
// executables in Fuzz/ (which trap on a violation, so libFuzzer saves the input) and by
// `swift test` (which replays every saved crash and every seed through the same check).

/// A property of the boundary, checked for one arbitrary input.
public protocol FuzzProperty {
    /// The libFuzzer target that checks this property: the name of its executable in
    /// `Fuzz/`, of its seed folder `Fuzz/Seeds/NAME/` and of its regression folder
    /// `Tests/FuzzRegressions/NAME/`.
    static var targetName: String { get }

    /// Checks the property for `input`; throws when it does not hold.
    ///
    /// A check may also stop the process — a trap or a sanitizer report inside the code
    /// under test — which is the other kind of finding.
    func check(_ input: [UInt8]) throws(PropertyViolation)
}

/// A property that did not hold, with what was expected and what happened.
public struct PropertyViolation: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Throws a violation described by `message` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(PropertyViolation) {
    if !condition {
        throw PropertyViolation(message())
    }
}

/// Checks `property` for the `size` bytes at `data` and stops the process on a violation,
/// so that libFuzzer saves the input: the body of every `LLVMFuzzerTestOneInput`.
@unsafe
public func checkOrTrap(_ property: some FuzzProperty, _ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer lends `size` readable bytes at `data` for the call; they are copied.
    let input = unsafe Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try property.check(input)
    } catch {
        fatalError("\(type(of: property).targetName): \(error)")
    }
    return 0
}

/// The property `make` builds, or a stop naming the error: a fuzz target's one-time setup,
/// which has no caller to report a failure to.
public func propertyOrTrap<Property: FuzzProperty, E: Error>(_ make: () throws(E) -> Property) -> Property {
    do {
        return try make()
    } catch {
        fatalError("\(Property.targetName): setting up the property failed: \(error)")
    }
}
