// Every call PluginKit makes into C lives in this file, as LibNative.swift keeps libnative's:
// the dynamic loader (dlopen, dlsym, dlerror, dlclose), a loaded plugin's table functions,
// native_plugin.h's checks, and the malloc/free behind the memory a Swift plugin hands out.
// PluginLoader.swift calls these wrappers only and imports neither CPluginABI nor Glibc.
//
// A loaded library and an instance are `@safe` owners whose raw pointers never leave this
// file. PluginExport.swift keeps the table and trampolines C calls (the ABI it must define).

import CPluginABI
import Glibc
import SafeFFI

enum PluginABI {
    // MARK: Loading

    /// A plugin library loaded with `dlopen` and its validated table, closed once with
    /// `dlclose` when the last reference (including every instance it made) ends.
    ///
    /// `Sendable`: after loading, it is never changed; the table it reads is static.
    @safe
    final class Library: @unchecked Sendable {
        // SAFETY (invariant): `handle` is a dlopen handle and `table` points into that
        // library, valid until deinit's dlclose, which runs only when no instance is left.
        fileprivate let handle: UnsafeMutableRawPointer
        fileprivate let table: UnsafePointer<native_plugin>
        /// The plugin's name, from its table.
        let name: String
        /// The plugin's version, from its table.
        let version: String

        /// Adopts the library just opened and its table, which `native_plugin_validate`
        /// accepted, with the name and version decoded from it; only this object closes the
        /// library.
        @unsafe
        fileprivate init(
            adopting handle: UnsafeMutableRawPointer, table: UnsafePointer<native_plugin>, name: String,
            version: String
        ) {
            unsafe self.handle = handle
            unsafe self.table = table
            self.name = name
            self.version = version
        }

        deinit {
            // SAFETY: no instance is left (each holds this library), so nothing uses the table.
            unsafe dlclose(handle)
        }
    }

    /// Loads the plugin library at `path` and checks its table against the ABI.
    /// `access`, `dlopen` (with `RTLD_NODELETE`), `dlerror`, `dlsym`, `native_plugin_entry`
    /// and `native_plugin_validate`; `dlclose` when the library is refused.
    static func load(path: String) throws(PluginError) -> Library {
        let local = path.contains("/") ? path : "./\(path)"
        let exists: Bool
        let opened: UnsafeMutableRawPointer?
        do throws(BoundaryError) {
            // SAFETY: access and dlopen read the NUL-terminated path during the call. The
            // local form adds "./" before a path without a "/", so it holds no other NUL.
            exists = try unsafe path.withCheckedCString { unsafe access($0, F_OK) } == 0
            unsafe opened =
                exists
                ? try unsafe local.withCheckedCString { unsafe dlopen($0, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) } : nil
        } catch {
            // C would read such a path only up to the NUL, and look for another file.
            guard case .interiorNUL(let offset) = error else {
                preconditionFailure("withCheckedCString refuses only an interior NUL: \(error)")
            }
            throw PluginError(
                .boundary(error), message: "\(path.debugDescription): the path holds a NUL byte at offset \(offset)")
        }
        guard exists else { throw PluginError(.missingFile, message: "\(path): no such file") }
        guard let handle = unsafe opened
        else {
            // SAFETY: dlerror returns a message owned by libdl, copied at once.
            let detail = unsafe dlerror().flatMap { try? unsafe String(strictCString: $0) }
            throw PluginError(
                .notLoadable, message: "\(path): not a loadable shared object (\(detail ?? "unknown error"))")
        }
        func refuse(_ kind: PluginError.Kind, _ message: String) -> PluginError {
            // SAFETY: the library just opened, closed once here; nothing from it is kept.
            unsafe dlclose(handle)
            return PluginError(kind, message: "\(path): \(message)")
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
        // SAFETY: static NUL-terminated strings of the table, which native_plugin_validate
        // found UTF-8 (its decoder agrees with Swift's, PluginTests checks); decoded strictly
        // all the same, so a disagreement refuses the plugin instead of repairing its name.
        guard let name = try? unsafe String(strictCString: table.pointee.name),
            let version = try? unsafe String(strictCString: table.pointee.version)
        else {
            throw refuse(.incompatible, "the plugin's name or version is not UTF-8")
        }
        // SAFETY: the library was opened above and is handed over once; the table passed
        // native_plugin_validate.
        return unsafe Library(adopting: handle, table: table, name: name, version: version)
    }

    // MARK: Instances

    /// One instance of a loaded plugin, destroyed exactly once (the table's `destroy`) when
    /// it ends. It keeps its library loaded. `@safe`: the raw pointer never leaves this file.
    @safe
    struct Instance: ~Copyable {
        // SAFETY (invariant): `pointer` is create's instance, owned by this value alone and
        // destroyed in deinit, before `library` (released after deinit's body) can unload.
        fileprivate let library: Library
        fileprivate let pointer: UnsafeMutableRawPointer

        deinit {
            // SAFETY: the instance came from create and is destroyed once, here.
            unsafe library.table.pointee.destroy(pointer)
        }
    }

    /// Creates an instance of the plugin: the table's `create`, checked with
    /// `native_plugin_check_create`; the message freed with the table's `free_memory`.
    static func createInstance(of library: Library, configuration: String?) throws(PluginError) -> Instance {
        let table = unsafe library.table
        var instance: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        let code: Int32
        do throws(BoundaryError) {
            if let configuration {
                // SAFETY: the configuration is borrowed for the call; the table is valid.
                code = try unsafe configuration.withCheckedCString {
                    unsafe table.pointee.create(table, $0, &instance, &message)
                }
            } else {
                code = unsafe table.pointee.create(table, nil, &instance, &message)
            }
        } catch {
            throw PluginError(.boundary(error), message: "the configuration holds a NUL byte: \(error)")
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
            throw PluginError(check)
        }
        // SAFETY: `message` is NULL or create's allocation, checked UTF-8, taken once;
        // `instance` is create's new instance when the code is OK (checked non-NULL), owned
        // from here by the Instance alone.
        let text = unsafe takeMessage(message, of: table)
        guard code == Int32(NATIVE_PLUGIN_OK), let instance = unsafe instance else {
            throw PluginError(.refused(PluginFailure.Code(rawValue: code)), message: text ?? "no message")
        }
        return unsafe Instance(library: library, pointer: instance)
    }

    /// A successful `process`'s output, owned: freed once with the plugin's `free_memory`
    /// when this value ends. Its bytes are lent by ``withSpan(_:)`` or copied by ``bytes``.
    /// It lives only inside a `PluginInstance` method, within its borrow of the instance
    /// (which keeps the library, and so the table, loaded): it holds no reference of its
    /// own, which would cost a retain and a release per call.
    @safe
    struct Output: ~Copyable {
        // SAFETY (invariant): `allocation` is process's output (or NULL), owned by this value
        // alone and freed once, in deinit, with `table`'s free_memory; the instance that
        // made it outlives it (see above). When `count` is not 0, `allocation` holds `count`
        // readable bytes (process succeeded and native_plugin_check_process passed: 1 GiB
        // at most).
        private let allocation: UnsafeMutablePointer<UInt8>?
        private let count: Int
        private let table: UnsafePointer<native_plugin>

        @unsafe
        fileprivate init(
            adopting allocation: UnsafeMutablePointer<UInt8>?, count: Int, table: UnsafePointer<native_plugin>
        ) {
            unsafe self.allocation = allocation
            self.count = count
            unsafe self.table = table
        }

        deinit {
            // SAFETY: the output is freed once, here, by the plugin that allocated it.
            unsafe table.pointee.free_memory(allocation)
        }

        /// Calls `body` with the output's bytes, valid only during `body`.
        func withSpan<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
            // SAFETY: `count` readable bytes at `allocation` (the invariant above), not freed
            // before this value ends, which cannot happen during this borrow; the span lives
            // only for the call.
            try body(unsafe UnsafeBufferPointer(start: allocation, count: count).span)
        }

        /// A copy of the output's bytes.
        var bytes: [UInt8] {
            guard count > 0, let allocation = unsafe allocation else { return [] }
            // SAFETY: `count` readable bytes at `allocation` (the invariant above).
            return unsafe Array(UnsafeBufferPointer(start: allocation, count: count))
        }
    }

    /// Transforms `input` with the instance: the table's `process`, checked with
    /// `native_plugin_check_process`; the message freed with `free_memory`, the output
    /// owned by the ``Output`` returned (freed on the error paths too).
    static func process(_ instance: borrowing Instance, _ input: [UInt8]) throws(PluginError) -> Output {
        let table = unsafe instance.library.table
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message: UnsafeMutablePointer<CChar>?
        // SAFETY: the input is borrowed for the call; the instance is alive for this borrow.
        let code = unsafe input.withUnsafeBufferPointer {
            unsafe table.pointee.process(instance.pointer, $0.baseAddress, $0.count, &output, &length, &message)
        }
        // SAFETY: `message` is NULL or process's NUL-terminated allocation, read up to its NUL.
        let check = unsafe native_plugin_check_process(code, output, length, message)
        // SAFETY: the output is the plugin's allocation (or NULL), owned from here by `owned`,
        // which frees it once on every path. Its bytes are readable only when process
        // succeeded and the check passed (`length` is then 1 GiB at most, with a non-NULL
        // output unless it is 0): otherwise the owner holds none of them.
        let owned = unsafe Output(
            adopting: output,
            count: code == Int32(NATIVE_PLUGIN_OK) && check == NATIVE_PLUGIN_VALID ? length : 0,
            table: table)
        guard check == NATIVE_PLUGIN_VALID else {
            // SAFETY: the plugin's message (or NULL), freed once here; the output by `owned`.
            unsafe table.pointee.free_memory(message)
            throw PluginError(check)
        }
        // SAFETY: the message is the plugin's allocation (or NULL), checked UTF-8, freed once
        // by takeMessage.
        let text = unsafe takeMessage(message, of: table)
        guard code == Int32(NATIVE_PLUGIN_OK) else {
            throw PluginError(.refused(PluginFailure.Code(rawValue: code)), message: text ?? "no message")
        }
        return owned
    }

    /// Copies and frees an error message the plugin returned (the plugin allocated it;
    /// `free_memory` is its deallocator, called once after the copy). The message must
    /// have passed the create or process check, which makes it UTF-8.
    @unsafe
    private static func takeMessage(
        _ message: UnsafeMutablePointer<CChar>?, of table: UnsafePointer<native_plugin>
    ) -> String? {
        // SAFETY: the message is the plugin's allocation, freed once with its own
        // free_memory after the copy below; the table is valid while the library is loaded.
        guard let message = unsafe message else { return nil }
        defer { unsafe table.pointee.free_memory(message) }
        // SAFETY: a NUL-terminated message, which the C check found UTF-8; decoded strictly
        // all the same, and a refusal here would keep the plugin's bytes out, not repair them.
        return try? unsafe String(strictCString: message)
    }

    // MARK: Memory a Swift plugin hands to the host

    /// A malloc'd NUL-terminated copy, which the host frees with free_memory (`free`), or
    /// nil when malloc fails: the host then gets no message rather than a plugin that traps.
    /// A message holding a NUL byte is cut there, as C would read it.
    static func copyMessage(_ text: String) -> UnsafeMutablePointer<CChar>? {
        // SAFETY: ownership of the malloc'd copy passes to the caller.
        unsafe try? mallocCString(copying: textBeforeNUL(text))
    }

    /// A NUL-terminated copy kept for the library's lifetime (the table's name and version).
    static func permanentCString(_ text: String) -> UnsafeMutablePointer<CChar> {
        // SAFETY: the malloc'd copy is never freed: the table must outlive every host call.
        guard let copy = unsafe try? mallocCString(copying: textBeforeNUL(text)) else {
            preconditionFailure("out of memory for the plugin table's strings")
        }
        return unsafe copy
    }

    /// The part of `text` a C reader sees: up to its first NUL byte.
    private static func textBeforeNUL(_ text: String) -> String {
        guard let nul = text.utf8.firstIndex(of: 0) else { return text }
        return String(Substring(text.utf8[..<nul]))
    }

    /// A malloc'd copy of `bytes` (not empty), which the host frees with free_memory
    /// (`free`), or nil when malloc fails. libc's `malloc`.
    static func copyOutput(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8>? {
        precondition(!bytes.isEmpty, "an empty output is handed over as NULL")
        // SAFETY: the caller owns the copy from here and hands it to the host, which frees
        // it with free_memory.
        return unsafe mallocBuffer(copying: bytes.span)
    }

    /// Frees memory that `copyMessage` or `copyOutput` allocated, or NULL: the plugin's
    /// `free_memory`. libc's `free`.
    @unsafe
    static func freeMemory(_ memory: UnsafeMutableRawPointer?) {
        // SAFETY: the caller passes only what this file allocated with malloc, or NULL,
        // freed once.
        unsafe free(memory)
    }
}

// MARK: C ↔ Swift values

extension PluginError {
    /// The broken rule a failed check of create's or process's values stands for.
    fileprivate init(_ check: native_plugin_check) {
        let rule: Kind
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
        // SAFETY: native_plugin_check_message returns a static NUL-terminated string for
        // every check; decoded strictly, so a header that broke its ASCII would show as such.
        let text = try? unsafe String(strictCString: native_plugin_check_message(check))
        self.init(rule, message: text ?? "native_plugin_check \(check.rawValue)")
    }
}
