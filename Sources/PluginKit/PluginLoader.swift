// Loading any native_plugin library — Swift or C — from Swift, with typed errors.

import CPluginABI
import Glibc
import SafeFFI

/// Why a plugin library could not be used. The message is the line `plugin-host` prints
/// for the same problem (after its `plugin-host: ` prefix).
public struct PluginLoadError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem the library has.
    public enum Reason: Equatable, Hashable, Sendable {
        /// There is no file at the path.
        case missingFile
        /// `dlopen` refused the file (not a shared object, or a missing dependency).
        case notLoadable
        /// The library exports no `native_plugin_entry`.
        case missingEntry
        /// `native_plugin_entry` returned NULL.
        case nullTable
        /// The table breaks the ABI's compatibility rule (version, size, a NULL field, a name
        /// or version that is not one line of UTF-8 text).
        case incompatible
    }

    /// What kind of problem the library has.
    public let reason: Reason
    /// The problem, in the words plugin-host prints.
    public let message: String

    public var description: String { message }
}

/// Why a call into a loaded plugin (`create` or `process`) failed: the plugin refused, or it
/// broke the ABI. The description is what `plugin-host` prints after "could not create an
/// instance: " or "could not process the input: ".
public enum PluginCallError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The plugin refused, with its code and message.
    case failed(PluginFailure)
    /// The plugin handed back a value that native_plugin.h forbids; nothing it returned was used.
    case brokeContract(PluginContractViolation)

    public var description: String {
        switch self {
        case .failed(let failure): failure.description
        case .brokeContract(let violation): violation.description
        }
    }
}

/// A value that `create` or `process` handed back and native_plugin.h forbids, as found by
/// the header's own checks (`native_plugin_check_create`, `native_plugin_check_process`),
/// which `plugin-host` runs too.
public struct PluginContractViolation: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The rule the plugin broke.
    public enum Rule: Equatable, Hashable, Sendable {
        /// `create` returned OK but no instance (`NATIVE_PLUGIN_CREATE_NO_INSTANCE`).
        case createReturnedNoInstance
        /// `create` returned OK and an error message (`NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS`).
        case createReturnedMessageOnSuccess
        /// `create` failed with a message that is not UTF-8 (`NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8`).
        case createMessageNotUTF8
        /// `process` returned OK, a non-zero length and no output (`NATIVE_PLUGIN_PROCESS_NULL_OUTPUT`).
        case processReturnedNullOutput
        /// `process` returned a length over `NATIVE_PLUGIN_OUTPUT_LIMIT`, 1 GiB
        /// (`NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG`).
        case processOutputTooLong
        /// `process` returned OK and an error message (`NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS`).
        case processReturnedMessageOnSuccess
        /// `process` failed with a message that is not UTF-8 (`NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8`).
        case processMessageNotUTF8
    }

    /// The rule the plugin broke.
    public let rule: Rule
    /// The rule, in the words of `native_plugin_check_message`, which plugin-host prints.
    public let message: String

    public var description: String { message }

    /// The violation a failed check of create's or process's values stands for.
    init(_ check: native_plugin_check) {
        switch check {
        case NATIVE_PLUGIN_CREATE_NO_INSTANCE: rule = .createReturnedNoInstance
        case NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS: rule = .createReturnedMessageOnSuccess
        case NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8: rule = .createMessageNotUTF8
        case NATIVE_PLUGIN_PROCESS_NULL_OUTPUT: rule = .processReturnedNullOutput
        case NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG: rule = .processOutputTooLong
        case NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS: rule = .processReturnedMessageOnSuccess
        case NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8: rule = .processMessageNotUTF8
        default: preconditionFailure("native_plugin_check \(check.rawValue) is not a check of create or process")
        }
        // SAFETY: native_plugin_check_message returns a static ASCII string for every check.
        message = unsafe String(cString: native_plugin_check_message(check))
    }
}

/// A plugin library loaded with `dlopen`, unloaded when the last reference (including
/// every instance it made) ends.
///
/// `Sendable`: after loading, it is never changed; the table it reads is static.
@safe
public final class PluginLibrary: @unchecked Sendable {
    // SAFETY (invariant): `handle` is a dlopen handle and `table` points into that library,
    // valid until deinit's dlclose, which runs only when no instance is left.
    private let handle: UnsafeMutableRawPointer
    private let table: UnsafePointer<native_plugin>
    /// The plugin's name, from its table.
    public let name: String
    /// The plugin's version, from its table.
    public let version: String

    /// Loads the plugin library at `path` and checks its table against the ABI.
    ///
    /// The library is opened with `RTLD_NODELETE`: the Swift runtime keeps pointers into
    /// a Swift library's metadata, so unloading one would crash the process later.
    /// The corresponding C functions are `dlopen`, `dlsym` and `native_plugin_validate`.
    public init(path: String) throws(PluginLoadError) {
        let local = path.contains("/") ? path : "./\(path)"
        let exists: Bool
        let opened: UnsafeMutableRawPointer?
        do throws(CStringError) {
            // SAFETY: access and dlopen read the NUL-terminated path during the call. The
            // local form adds "./" before a path without a "/", so it holds no other NUL.
            exists = try unsafe path.withCheckedCString { unsafe access($0, F_OK) } == 0
            unsafe opened =
                exists
                ? try unsafe local.withCheckedCString { unsafe dlopen($0, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) } : nil
        } catch {
            // C would read such a path only up to the NUL, and look for another file.
            guard case .interiorNUL(let offset) = error else { preconditionFailure("a Swift string is UTF-8") }
            throw PluginLoadError(
                reason: .missingFile, message: "\(path.debugDescription): the path holds a NUL byte at offset \(offset)"
            )
        }
        guard exists else { throw PluginLoadError(reason: .missingFile, message: "\(path): no such file") }
        guard let handle = unsafe opened
        else {
            // SAFETY: dlerror returns a message owned by libdl, copied at once.
            let detail = unsafe dlerror().flatMap { try? unsafe String(strictCString: $0) }
            throw PluginLoadError(
                reason: .notLoadable, message: "\(path): not a loadable shared object (\(detail ?? "unknown error"))")
        }
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            // SAFETY: the library just opened, closed once here; nothing from it is kept.
            unsafe dlclose(handle)
            return PluginLoadError(reason: reason, message: "\(path): \(message)")
        }
        // SAFETY: `handle` is the library just opened; the symbol name is a C literal.
        guard let symbol = unsafe dlsym(handle, NATIVE_PLUGIN_ENTRY_SYMBOL) else {
            throw refuse(.missingEntry, "no native_plugin_entry symbol")
        }
        // SAFETY: the symbol is the plugin's entry point, of the ABI's function type.
        let entry = unsafe unsafeBitCast(symbol, to: native_plugin_entry_function.self)
        guard let table = unsafe entry() else {
            throw refuse(.nullTable, "native_plugin_entry returned NULL")
        }
        var problem = [CChar](repeating: 0, count: 256)
        // SAFETY: the table is the plugin's static table; the buffer has `count` bytes.
        if unsafe native_plugin_validate(table, &problem, problem.count) != NATIVE_PLUGIN_VALID {
            let text = unsafe problem.withUnsafeBufferPointer { buffer in
                // SAFETY: native_plugin_validate wrote a NUL-terminated line into the buffer.
                unsafe buffer.baseAddress.flatMap { try? unsafe String(strictCString: $0) }
            }
            throw refuse(.incompatible, text ?? "incompatible plugin table")
        }
        unsafe self.handle = handle
        unsafe self.table = table
        // SAFETY: static strings of the plugin that native_plugin_validate found NUL-terminated
        // UTF-8 (its decoder agrees with Swift's, PluginTests checks), so nothing is repaired.
        self.name = unsafe String(cString: table.pointee.name)
        self.version = unsafe String(cString: table.pointee.version)
    }

    deinit {
        // SAFETY: no instance is left (each holds this library), so nothing uses the table.
        unsafe dlclose(handle)
    }

    /// Creates an instance of the plugin. The corresponding ABI function is `create`.
    ///
    /// - Throws: ``PluginCallError/failed(_:)`` with the plugin's code and message, or
    ///   ``PluginCallError/brokeContract(_:)`` when it returned a value native_plugin.h forbids.
    public func makeInstance(configuration: String? = nil) throws(PluginCallError) -> PluginInstance {
        var instance: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        let code: Int32
        do throws(CStringError) {
            if let configuration {
                // SAFETY: the configuration is borrowed for the call; the table is valid.
                code = try unsafe configuration.withCheckedCString {
                    unsafe table.pointee.create(table, $0, &instance, &message)
                }
            } else {
                code = unsafe table.pointee.create(table, nil, &instance, &message)
            }
        } catch {
            throw .failed(PluginFailure(.invalidConfiguration, "the configuration holds a NUL byte: \(error)"))
        }
        // SAFETY: `message` is NULL or create's NUL-terminated allocation, read up to its NUL.
        let check = unsafe native_plugin_check_create(code, instance, message)
        guard check == NATIVE_PLUGIN_VALID else {
            // SAFETY: what create returned, released once each as native_plugin.h says: the
            // message freed, an instance destroyed only when create reported success.
            unsafe table.pointee.free_memory(message)
            if code == Int32(NATIVE_PLUGIN_OK), let instance = unsafe instance {
                unsafe table.pointee.destroy(instance)
            }
            throw .brokeContract(PluginContractViolation(check))
        }
        // SAFETY: `message` is NULL or create's allocation, checked UTF-8, taken once;
        // `instance` is create's new instance when the code is OK (checked non-NULL), owned
        // from here by the PluginInstance alone.
        let text = unsafe takeMessage(message)
        guard code == Int32(NATIVE_PLUGIN_OK), let instance = unsafe instance else {
            throw .failed(PluginFailure(PluginFailure.Code(rawValue: code), text ?? "no message"))
        }
        return unsafe PluginInstance(library: self, instance: instance)
    }

    /// Runs the plugin's process function. The corresponding ABI function is `process`.
    @unsafe
    func process(_ instance: UnsafeMutableRawPointer, _ input: [UInt8]) throws(PluginCallError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message: UnsafeMutablePointer<CChar>?
        // SAFETY: the input is borrowed for the call; the instance is alive.
        let code = unsafe input.withUnsafeBufferPointer {
            unsafe table.pointee.process(instance, $0.baseAddress, $0.count, &output, &length, &message)
        }
        // SAFETY: the output is the plugin's allocation (or NULL), freed once on every path,
        // after the copy below; `length` (size_t, read back as Int) is only compared here.
        defer { unsafe table.pointee.free_memory(output) }
        // SAFETY: `message` is NULL or process's NUL-terminated allocation, read up to its NUL.
        let check = unsafe native_plugin_check_process(code, output, length, message)
        guard check == NATIVE_PLUGIN_VALID else {
            // SAFETY: the plugin's message (or NULL), freed once here; the output by the defer.
            unsafe table.pointee.free_memory(message)
            throw .brokeContract(PluginContractViolation(check))
        }
        // SAFETY: the message is the plugin's allocation (or NULL), checked UTF-8, freed once
        // by takeMessage.
        let text = unsafe takeMessage(message)
        guard code == Int32(NATIVE_PLUGIN_OK) else {
            throw .failed(PluginFailure(PluginFailure.Code(rawValue: code), text ?? "no message"))
        }
        guard length > 0, let output = unsafe output else { return [] }
        // SAFETY: the check leaves a length of 1 GiB at most with a non-NULL output: the
        // plugin returned `length` bytes at `output`, freed by the defer above after this copy.
        return unsafe Array(UnsafeBufferPointer(start: output, count: length))
    }

    /// Destroys an instance. The corresponding ABI function is `destroy`.
    @unsafe
    func destroy(_ instance: UnsafeMutableRawPointer) {
        // SAFETY: the caller passes a live instance of this library, destroyed only here.
        unsafe table.pointee.destroy(instance)
    }

    /// Copies and frees an error message the plugin returned (the plugin allocated it;
    /// `free_memory` is its deallocator, called once after the copy). The message must
    /// have passed the create or process check, which makes it UTF-8.
    @unsafe
    private func takeMessage(_ message: UnsafeMutablePointer<CChar>?) -> String? {
        // SAFETY: the message is the plugin's allocation, freed once with its own
        // free_memory after the copy below; the table is valid while the library is loaded.
        guard let message = unsafe message else { return nil }
        defer { unsafe table.pointee.free_memory(message) }
        // SAFETY: a NUL-terminated message that the C check found UTF-8, so nothing is repaired.
        return unsafe String(cString: message)
    }
}

/// One instance of a loaded plugin, destroyed exactly once when it ends. It keeps its
/// library loaded. Not `Sendable`: the ABI lets one thread at a time use an instance.
@safe
public struct PluginInstance: ~Copyable {
    private let library: PluginLibrary
    private let instance: UnsafeMutableRawPointer

    @unsafe
    init(library: PluginLibrary, instance: UnsafeMutableRawPointer) {
        self.library = library
        // SAFETY: the caller hands over create's instance; only this value destroys it.
        unsafe self.instance = instance
    }

    deinit {
        // SAFETY: the instance came from create and is destroyed once, here.
        unsafe library.destroy(instance)
    }

    /// Transforms `input` with the plugin.
    ///
    /// - Throws: ``PluginCallError/failed(_:)`` with the plugin's code and message, or
    ///   ``PluginCallError/brokeContract(_:)`` when it returned a value native_plugin.h forbids.
    public func process(_ input: [UInt8]) throws(PluginCallError) -> [UInt8] {
        // SAFETY: the instance is alive for this borrow.
        try unsafe library.process(instance, input)
    }
}

@available(*, unavailable, message: "a plugin instance is used by one thread at a time")
extension PluginInstance: Sendable {}
