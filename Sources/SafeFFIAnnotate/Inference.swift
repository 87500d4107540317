// What the annotator infers from declarations alone: bounds, shared references and the
// ownership of what functions return — each only when the declaration says enough — and
// what API notes cannot express, for SafeFFI.

/// The kind of a pointer parameter's bound.
public enum BoundKind: String, Hashable, Sendable {
    /// The count is of elements of the pointee type.
    case countedBy = "counted_by"
    /// The count is in bytes (a `void *`).
    case sizedBy = "sized_by"
}

/// A pointer parameter whose extent another parameter (or an expression of them) gives.
public struct Bound: Hashable, Sendable {
    public let function: String
    /// The pointer's position, from 0 (as API notes count).
    public let position: Int
    public let kind: BoundKind
    /// The count: a parameter's name, or an expression of parameters.
    public let count: String
    /// Whether the function uses the pointer only during the call.
    public let noEscape: Bool
    public let evidence: String
}

/// A type with a retain/release pair: imported as a Swift class.
public struct SharedReference: Hashable, Sendable {
    /// The struct tag (`evp_pkey_st`), which API notes name.
    public let tag: String
    /// The name the header uses (`EVP_PKEY`).
    public let name: String
    public let retain: String
    public let release: String
    public let evidence: String
}

/// Whether a function's returned shared reference is the caller's to release.
public enum ReturnOwnership: String, Hashable, Sendable {
    case retained, unretained
}

/// The ownership of one function's returned shared reference.
public struct ReturnedReference: Hashable, Sendable {
    public let function: String
    public let ownership: ReturnOwnership
    public let evidence: String
}

/// Something API notes cannot say, with the SafeFFI piece (or the step) that does.
public struct Finding: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case singleOwnerHandle = "single-owner handle"
        case callerFrees = "returned memory the caller frees"
        case lengthBehindPointer = "a length behind a pointer"
        case callbackWithContext = "a callback with a void * context"
        case variadic = "a variadic function"
        case functionLikeMacro = "a function-like macro"
        case unionWithPointer = "a union holding pointers"
        case charPointerField = "a char * field"
        case ownershipUndecided = "a returned reference of undecided ownership"
        case ambiguousBound = "a length that may count bytes or elements"
    }

    public let kind: Kind
    /// The function, type or macro concerned.
    public let subject: String
    /// What to use instead.
    public let advice: String
    public let evidence: String
}

/// Everything inferred from one set of headers.
public struct Inference: Sendable {
    public var bounds: [Bound] = []
    public var references: [SharedReference] = []
    public var returns: [ReturnedReference] = []
    public var findings: [Finding] = []

    public init() {}

    /// Infers from `headers`.
    public init(_ headers: CHeaderSet) {
        let functions = Dictionary(headers.functions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for function in headers.functions {
            inferBounds(function, headers)
            inferCallbacks(function, headers)
            if function.isVariadic { variadic(function, functions, headers) }
        }
        inferReferences(headers, functions)
        inferReturns(headers, functions)
        inferHandles(headers, functions)
        for macro in headers.macros where functions[macro.name] == nil {
            guard let target = macro.bodyIdentifiers.first(where: { functions[$0] != nil }) else { continue }
            findings.append(
                Finding(
                    kind: .functionLikeMacro, subject: macro.name,
                    advice: "Swift does not import function-like macros: call \(target), which it expands to",
                    evidence: "#define \(macro.name)(…) uses \(target)"))
        }
        for record in headers.records {
            let pointers = record.fields.filter { $0.type.pointerDepth > 0 }
            if record.isUnion, !pointers.isEmpty {
                findings.append(
                    Finding(
                        kind: .unionWithPointer, subject: "union \(record.tag)",
                        advice: "Swift cannot tell which member is live: read it through typed accessors in a wrapper",
                        evidence: "pointer members: \(pointers.map(\.name).joined(separator: ", "))"))
            }
            let strings = record.fields.filter { headers.isTextPointer($0.type) }
            if !record.isUnion, !strings.isEmpty {
                findings.append(
                    Finding(
                        kind: .charPointerField, subject: "struct \(record.tag)",
                        advice:
                            "imported as an unsafe pointer: read it with String(strictCString:) (NULL tested first) in a wrapper",
                        evidence: "char * fields: \(strings.map(\.name).joined(separator: ", "))"))
            }
        }
    }

    // MARK: Bounds

    /// Names that say "a length" whatever the pointer is called.
    static let genericLengthNames: Set = [
        "n", "len", "length", "size", "count", "cnt", "num", "nbytes", "nbyte", "bytes", "nelem", "nelems", "nmemb",
        "nitems",
    ]
    static let lengthSuffixes = ["len", "length", "size", "count", "cnt", "bytes"]

    /// Whether `name` says "a length": a generic name, `nByte`-style, or a length suffix.
    static func isLengthName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if genericLengthNames.contains(lower) { return true }
        if isNPrefixed(name) { return true }
        return lengthSuffixes.contains { lower.hasSuffix($0) }
    }

    /// `nByte`, `nData`: an `n` followed by a capitalised word that is a length's own
    /// (`nArg`, `nPage` count other things).
    static func isNPrefixed(_ name: String) -> Bool {
        guard name.count >= 2, name.first == "n", name.dropFirst().first?.isUppercase == true else { return false }
        return ["byte", "bytes", "data", "len", "length", "size", "char", "chars", "buf", "elem", "elems"]
            .contains(name.dropFirst().lowercased())
    }

    /// The words a length's name ends with, after the pointer's name (`inl`, `name_sz`).
    static let lengthWords = ["l", "len", "length", "size", "sz", "count", "cnt", "bytes"]

    /// Whether `count` is a length of `pointer`: a generic length name; a length name that
    /// starts with the pointer's own (`dictionary`/`dictLength`, `source`/`sourceLen`); the
    /// pointer's name, or its first three letters or more, or `max` and it, then a length word
    /// (`in`/`inl`, `data`/`datal`, `sigret`/`siglen`, `buf`/`max_buf_sz`); its initial and
    /// `size` or `len` (`data`/`dsize`); or SQLite's `pData`/`nData`.
    static func isLength(_ count: String, of pointer: String) -> Bool {
        if isHungarianPair(count: count, pointer: pointer) { return true }
        let name = count.lowercased().replacingOccurrences(of: "_", with: "")
        let stem = pointer.lowercased().replacingOccurrences(of: "_", with: "")
        if isLengthName(count) {
            if genericLengthNames.contains(count.lowercased()) || isNPrefixed(count) { return true }
            let start = stem.prefix(4)
            if start.count >= 3 && name.hasPrefix(start) { return true }
        }
        guard !stem.isEmpty else { return false }
        return lengthWords.contains { word in
            guard name.hasSuffix(word), name.count > word.count else { return false }
            let head = name.dropLast(word.count)
            if head == stem || head == "max" + stem { return true }
            if word == "l" { return false }
            if head.count >= 3 && stem.hasPrefix(head) { return true }
            return head.count == 1 && head.first == stem.first && ["size", "len", "length"].contains(word)
        }
    }

    /// SQLite's names: `pChangeset` and `nChangeset`, `pA` and `nA`.
    static func isHungarianPair(count: String, pointer: String) -> Bool {
        guard pointer.count >= 2, pointer.first == "p", pointer.dropFirst().first?.isUppercase == true else {
            return false
        }
        return count == "n" + pointer.dropFirst()
    }

    /// Names of a destination's capacity: `(char *text, size_t maxlen)`.
    static func isCapacity(_ count: String) -> Bool {
        ["maxlen", "maxlength", "maxsize", "capacity"].contains(
            count.lowercased().replacingOccurrences(of: "_", with: ""))
    }

    /// Whether `name` is the row length of an image at `pointer`: `pitch` when it is the
    /// function's only buffer, or the pointer's own (`src`/`src_pitch`).
    static func isPitch(_ name: String, of pointer: String, onlyBuffer: Bool) -> Bool {
        let name = name.lowercased().replacingOccurrences(of: "_", with: "")
        let stem = pointer.lowercased().replacingOccurrences(of: "_", with: "")
        return (onlyBuffer && name == "pitch") || name == stem + "pitch"
    }

    /// Names that count items, in a `(void *, size, count)` pair or of an array of structs.
    static let itemCountNames: Set = [
        "n", "count", "cnt", "num", "maxnum", "nmemb", "nitems", "nelem", "nelems", "nobj",
    ]

    /// `SDL_RWFromConstMem` → `sdl rw from const mem`; `BIO_new_mem_buf` → `bio new mem buf`.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var word = ""
        var previous: Character?
        for character in name {
            if character == "_" {
                if !word.isEmpty { words.append(word.lowercased()) }
                word = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber, !word.isEmpty {
                    words.append(word.lowercased())
                    word = ""
                }
                word.append(character)
            }
            previous = character
        }
        if !word.isEmpty { words.append(word.lowercased()) }
        return words
    }

    /// Whether `count` is the pointer's own name with a word for "the number of" before or
    /// after it: `ncolors`/`colors`, `num_vertices`/`vertices`, `nameCount`/`names`.
    static func counts(_ count: String, _ pointer: String) -> Bool {
        let name = count.lowercased().replacingOccurrences(of: "_", with: "")
        let stem = pointer.lowercased().replacingOccurrences(of: "_", with: "")
        guard stem.count >= 3, name != stem else { return false }
        let singular = stem.hasSuffix("s") ? String(stem.dropLast()) : stem
        return ["n", "num", "count", "number"].contains { name == $0 + stem || name == $0 + singular }
            || ["count", "num"].contains { name == stem + $0 || name == singular + $0 }
    }

    /// Whether a function's name says it copies a string into a buffer of a given capacity:
    /// `strlcpy`, `strlcat`, `SDL_utf8strlcpy`, `SDL_wcslcat`.
    static func copiesToCapacity(_ words: [String]) -> Bool {
        words.last.map { $0.hasSuffix("lcpy") || $0.hasSuffix("lcat") } ?? false
    }

    /// Whether a pointer's name says it points at several things: a plural (`points`,
    /// `ids`) or a word for a sequence (`descendant_array`, `list`).
    static func namesSeveral(_ name: String) -> Bool {
        let last = words(of: name).last ?? ""
        if ["array", "list", "vec", "vector", "items", "elements"].contains(last) { return true }
        return last.count > 2 && last.hasSuffix("s") && !last.hasSuffix("ss")
    }

    private mutating func inferBounds(_ function: CFunction, _ headers: CHeaderSet) {
        let first = bounds.count
        inferBounds(of: function, headers)
        // The rules read names past a system header's reserved prefix (glibc's `__len`); a
        // note names the parameter as it is declared.
        let declared = Dictionary(
            function.parameters.map { (Self.bare($0.name), $0.name) }, uniquingKeysWith: { first, _ in first })
        guard declared.contains(where: { $0.key != $0.value }) else { return }
        for index in first..<bounds.count {
            let bound = bounds[index]
            let count = bound.count.components(separatedBy: " * ").map { declared[$0] ?? $0 }.joined(separator: " * ")
            guard count != bound.count else { continue }
            bounds[index] = Bound(
                function: bound.function, position: bound.position, kind: bound.kind, count: count,
                noEscape: bound.noEscape, evidence: bound.evidence + " (read past the reserved prefix of \(count))")
        }
    }

    /// A parameter's name without the prefix C reserves for the implementation, which system
    /// headers use (`__len`, `_Size`); an unnamed parameter's stand-in (`_2`) stays.
    static func bare(_ name: String) -> String {
        let characters = Array(name)
        guard characters.count > 1, characters[0] == "_", characters[1] == "_" || characters[1].isUppercase else {
            return name
        }
        let bare = String(name.drop { $0 == "_" })
        return bare.isEmpty ? name : bare
    }

    /// Names a string parameter has when it holds a name, not bytes: `(const char *type, int len)`
    /// in `PEM_dek_info(buf, type, len, str)` is a cipher's name and `len` is `str`'s.
    static let textNames: Set = ["type", "name", "path", "file", "filename", "mode", "format", "fmt"]

    private mutating func inferBounds(of function: CFunction, _ headers: CHeaderSet) {
        let parameters = function.parameters.map { CParameter(name: Self.bare($0.name), type: $0.type) }
        // A realloc's size is the new block's, not the old one's: no bound.
        if function.name.lowercased().hasSuffix("realloc") { return }
        let words = Self.words(of: function.name)
        // A function named as a callback is one (`BIO_debug_callback_ex(bio, oper, argp, len,
        // …)`): what its arguments hold depends on the call that invokes it.
        if words.contains("callback"), !parameters.contains(where: { $0.type.isFunctionPointer }) { return }
        // A maximum on a NUL-terminated string (`strncmp`, `strnlen`, `SDL_utf8strnlen`): the
        // function stops at the NUL, so the number is not the text's extent and no bound holds.
        let stopsAtNUL = words.contains { word in
            word.hasPrefix("strn") || word.hasPrefix("wcsn")
                || ["strnlen", "ncmp", "ncasecmp", "nicmp"].contains { word.hasSuffix($0) }
        }
        // The object a function makes: its result, or what its first parameter returns (`T **out`).
        let made: CType? =
            headers.isRecordPointer(function.returnType)
            ? function.returnType
            : parameters.first.flatMap { first in
                first.type.pointerDepth == 2
                    ? first.type.pointee.flatMap { headers.isRecordPointer($0) ? $0 : nil } : nil
            }
        // A destructor argument (`void (*)(void *)`) means the function may keep the pointer.
        // So does a name that says it takes the pointer over (OpenSSL's set0: "the object
        // now owns it"), and an object made over memory or from a buffer (`SDL_RWFromMem`,
        // `BIO_new_mem_buf`, `git_patch_from_buffers`) or an iterator made over one
        // (`sqlite3changeset_start(sqlite3_changeset_iter **, int, void *)`): unless its
        // documentation says it copies, the object may read the memory after the call.
        let keepsBecause =
            parameters.contains { $0.type.isFunctionPointer && $0.type.functionPointerParameters.count == 1 }
            ? "a destructor argument"
            : words.contains { $0 == "set0" || $0.hasPrefix("set0") }
                ? "a set0 name"
                : made != nil && (words.contains("mem") || words.contains("from"))
                    ? "an object made over the memory"
                    : made.map { Self.words(of: $0.description).contains { $0.hasPrefix("iter") } } == true
                        ? "an iterator made over the memory" : nil
        let keeps = keepsBecause != nil
        // A bound of this function: NoEscape unless it may keep the pointer, and then why.
        func bound(_ position: Int, _ kind: BoundKind, _ count: String, _ evidence: String) {
            bounds.append(
                Bound(
                    function: function.name, position: position, kind: kind, count: count, noEscape: !keeps,
                    evidence: evidence + (keepsBecause.map { "; \($0): the function may keep the pointer" } ?? "")))
        }
        for (position, pointer) in parameters.enumerated() {
            let type = pointer.type
            let resolved = headers.resolved(type)
            guard resolved.pointerDepth == 1, !resolved.isFunctionPointer else { continue }
            // Text the function reads up to a NUL or a maximum: `strncmp`'s, and strlcpy's
            // source. (`wchar_t` is an integer typedef in C: the name says wide text.)
            let isText = headers.isCharacterPointer(type) || words.contains { $0.hasPrefix("wcs") }
            if isText, stopsAtNUL || (Self.copiesToCapacity(words) && position > 0) { continue }
            if headers.isTextPointer(type), type.isConstQualified, Self.textNames.contains(pointer.name.lowercased()) {
                continue
            }
            // The `void *` after a callback is its context, not a buffer (`BIO_dump_cb(cb, u, s, len)`).
            if position > 0, headers.isVoidPointer(type), parameters[position - 1].type.isFunctionPointer { continue }
            // A text pointer behind a typedef (`sqlite3_filename`) names a string, not a buffer.
            if type.pointerDepth == 0, headers.isTextPointer(type) { continue }
            // The parameter after the pointer; after the last one, none (a `void` stands in).
            let next =
                position + 1 < parameters.count ? parameters[position + 1] : CParameter(name: "", type: CType("void"))
            if headers.isRecordPointer(type) {
                // An incomplete struct is a handle, never an array; a complete one is an array
                // only when the length is its own (or it is not the first argument, a handle's place).
                guard let tag = headers.pointeeRecordTag(of: type), headers.completeRecordTags.contains(tag) else {
                    continue
                }
                let generic = Self.genericLengthNames.contains(next.name.lowercased()) || Self.isNPrefixed(next.name)
                if position == 0 && generic { continue }
            }
            let isVoid = headers.isVoidPointer(type)
            // strlcpy's and strlcat's destination holds the last argument's count of characters
            // (`SDL_strlcpy(char *dst, const char *src, size_t maxlen)`); the source is a string.
            if position == 0, isText, Self.copiesToCapacity(words), parameters.count >= 3, !type.isConstQualified,
                let capacity = parameters.last, headers.isInteger(capacity.type)
            {
                bound(
                    position, .countedBy, capacity.name,
                    "(\(type) \(pointer.name), …, \(capacity.type) \(capacity.name)): a strlcpy-style destination of \(capacity.name) characters"
                )
                continue
            }
            // Two buffers and one length, `(void *dst, const void *src, size_t len)` as in memcpy
            // and memcmp: the length is both buffers'. Only `void *` pairs, which hold bytes
            // alike (`(unsigned char *out, const unsigned char *in, int n)` may encode n into more).
            if isVoid, position + 2 < parameters.count, headers.isVoidPointer(next.type),
                headers.resolved(next.type).pointerDepth == 1, headers.isInteger(parameters[position + 2].type),
                Self.genericLengthNames.contains(parameters[position + 2].name.lowercased()),
                // Not a size and a number of items after them (`bsearch(key, base, nmemb, size, …)`).
                position + 3 == parameters.count || !headers.isInteger(parameters[position + 3].type)
            {
                let count = parameters[position + 2]
                bound(
                    position, .sizedBy, count.name,
                    "(\(type) \(pointer.name), \(next.type) \(next.name), \(count.type) \(count.name)): two buffers and one length, as in memcpy"
                )
                continue
            }
            // An image: rows of `pitch` bytes, `height` of them (`SDL_CreateRGBSurfaceFrom(void
            // *pixels, int width, int height, int depth, int pitch, …)`).
            let buffers = parameters.filter { headers.isVoidPointer($0.type) }.count
            if isVoid,
                let pitch = parameters.first(where: {
                    headers.isInteger($0.type) && Self.isPitch($0.name, of: pointer.name, onlyBuffer: buffers == 1)
                }),
                let height = parameters.first(where: { headers.isInteger($0.type) && $0.name.lowercased() == "height" })
            {
                bound(
                    position, .sizedBy, "\(pitch.name) * \(height.name)",
                    "(\(type) \(pointer.name), …, \(pitch.type) \(pitch.name), \(height.type) \(height.name)): an image of \(height.name) rows of \(pitch.name) bytes"
                )
                continue
            }
            if headers.isInteger(next.type),
                Self.isLength(next.name, of: pointer.name) || (!type.isConstQualified && Self.isCapacity(next.name))
            {
                // A size and a number of items, in either order: `(void *buf, size_t size,
                // size_t nitems)`, `(void *base, size_t nmemb, size_t size)`.
                if position + 2 < parameters.count, isVoid, headers.isInteger(parameters[position + 2].type) {
                    let pair = [next.name, parameters[position + 2].name]
                    let lower = pair.map { $0.lowercased() }
                    if lower.contains("size"), lower.contains(where: { Self.itemCountNames.contains($0) }) {
                        bound(
                            position, .sizedBy, pair.joined(separator: " * "),
                            "(\(type) \(pointer.name), \(pair[0]), \(pair[1])): a size and a number of items follow the pointer"
                        )
                        continue
                    }
                }
                // An array of structs is counted in items: a count named as such, or a pointer
                // named as a plural (`rects, count`, `ids, count`); `(const git_oid *id, size_t len)`
                // counts hex digits, not ids.
                if headers.isRecordPointer(type), !Self.itemCountNames.contains(next.name.lowercased()),
                    !Self.namesSeveral(pointer.name)
                {
                    findings.append(
                        Finding(
                            kind: .ambiguousBound, subject: function.name,
                            advice:
                                "say in the overrides whether \(next.name) counts the elements of \(pointer.name) (counted_by) or something else",
                            evidence: "(\(type) \(pointer.name), \(next.type) \(next.name))"))
                    continue
                }
                let counted = !isVoid
                if counted, !headers.isCharacterPointer(type),
                    ["size", "bytes"].contains(where: { next.name.lowercased().hasSuffix($0) })
                {
                    findings.append(
                        Finding(
                            kind: .ambiguousBound, subject: function.name,
                            advice:
                                "say in the overrides whether \(next.name) counts bytes (sized_by) or elements (counted_by) of \(pointer.name)",
                            evidence: "(\(type) \(pointer.name), \(next.type) \(next.name))"))
                    continue
                }
                bound(
                    position, counted ? .countedBy : .sizedBy, next.name,
                    "(\(type) \(pointer.name), \(next.type) \(next.name)): \(next.name) follows the pointer and names \(Self.isLength(next.name, of: pointer.name) ? "a length" : "a destination's capacity")"
                )
            } else if position > 0, position == parameters.count - 1, isVoid,
                position < 2 || headers.resolved(parameters[position - 2].type).pointerDepth == 0,
                headers.isInteger(parameters[position - 1].type),
                Self.genericLengthNames.contains(parameters[position - 1].name.lowercased())
                    || Self.isNPrefixed(parameters[position - 1].name)
            {
                // The length first, a void * last: `(int N, void *P)` (rarer, so held to more:
                // a length named as such, no pointer before it that it could belong to).
                let count = parameters[position - 1]
                bound(
                    position, .sizedBy, count.name,
                    "(\(count.type) \(count.name), \(type) \(pointer.name)): \(count.name) comes just before the pointer and names a length"
                )
            } else if position > 0, headers.isInteger(parameters[position - 1].type),
                Self.isHungarianPair(count: parameters[position - 1].name, pointer: pointer.name)
            {
                // SQLite's order, the length first: `(int nChangeset, void *pChangeset)`.
                let count = parameters[position - 1]
                bound(
                    position, isVoid ? .sizedBy : .countedBy, count.name,
                    "(\(count.type) \(count.name), \(type) \(pointer.name)): \(count.name) comes just before the pointer and is its length by name"
                )
            } else if !isVoid, !headers.isCharacterPointer(type),
                let count = parameters.first(where: { headers.isInteger($0.type) && Self.counts($0.name, pointer.name) }
                )
            {
                // A count elsewhere in the list that names the pointer: `(const SDL_Color *colors,
                // int firstcolor, int ncolors)`, `(vertices, num_vertices)`.
                bound(
                    position, .countedBy, count.name,
                    "(\(type) \(pointer.name), …, \(count.type) \(count.name)): \(count.name) names the count of \(pointer.name)"
                )
            } else if headers.resolved(next.type).pointerDepth == 1, let pointee = headers.resolved(next.type).pointee,
                headers.isInteger(pointee),
                Self.isLength(next.name, of: pointer.name)
            {
                findings.append(
                    Finding(
                        kind: .lengthBehindPointer, subject: function.name,
                        advice:
                            "API notes cannot bound \(pointer.name) by *\(next.name): when *\(next.name) holds the capacity on entry, use SafeFFI's cWritingUpTo; when C only writes it, the documentation gives the size the buffer needs",
                        evidence: "(\(type) \(pointer.name), \(next.type) \(next.name))"))
            }
        }
    }

    // MARK: Callbacks and variadics

    private mutating func inferCallbacks(_ function: CFunction, _ headers: CHeaderSet) {
        // A context is a void * the function passes on; a void * it bounds is a buffer (qsort's
        // base), and a callback given its elements is a comparator, not a callback with a context.
        let hasContext = function.parameters.indices.contains { position in
            headers.isVoidPointer(function.parameters[position].type)
                && !bounds.contains { $0.function == function.name && $0.position == position }
        }
        for parameter in function.parameters where parameter.type.isFunctionPointer {
            let arguments = parameter.type.functionPointerParameters
            // A lone void * argument is a destructor, not a callback with a context.
            guard hasContext, arguments.count > 1 || !arguments.allSatisfy({ headers.isVoidPointer($0) }),
                arguments.contains(where: { headers.isVoidPointer($0) })
            else { continue }
            findings.append(
                Finding(
                    kind: .callbackWithContext, subject: function.name,
                    advice:
                        "pass a Swift closure through SafeFFI: CallbackContext when C calls it only during this call, CallbackRegistration when C keeps it",
                    evidence: "\(parameter.name): \(parameter.type)"))
        }
    }

    private mutating func variadic(_ function: CFunction, _ functions: [String: CFunction], _ headers: CHeaderSet) {
        // The va_list form: the same name with a "v" before one of its parts.
        let parts = function.name.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        var candidates: [String] = []
        for index in parts.indices {
            var changed = parts
            changed[index] = "v" + changed[index]
            candidates.append(changed.joined(separator: "_"))
        }
        let vaList = candidates.first { name in
            functions[name]?.parameters.contains { headers.resolved($0.type).spelling.contains("va_list") } ?? false
        }
        findings.append(
            Finding(
                kind: .variadic, subject: function.name,
                advice: vaList.map { "Swift does not import C variadic functions: call \($0) with withVaList" }
                    ?? "Swift does not import C variadic functions: a C shim with fixed arguments",
                evidence: "\(function.returnType) \(function.name)(…, ...)"))
    }

    // MARK: Shared references and ownership

    static let referencePairs = [("up_ref", "free"), ("ref", "unref"), ("retain", "release")]

    /// The functions named `PREFIX_word` that take one pointer to `tag`.
    private static func unary(
        _ prefix: String, _ word: String, _ tag: String, _ functions: [String: CFunction], _ headers: CHeaderSet
    ) -> CFunction? {
        guard let function = functions["\(prefix)_\(word)"], function.parameters.count == 1,
            headers.pointeeTag(of: function.parameters[0].type) == tag
        else { return nil }
        return function
    }

    /// Each struct type with its names: the tag itself and every typedef naming it.
    private static func namedStructs(_ headers: CHeaderSet) -> [(name: String, tag: String)] {
        var names: [(String, String)] = []
        for (name, type) in headers.typedefs.sorted(by: { $0.key < $1.key }) {
            let tokens = headers.resolved(type).tokens.filter { $0 != "const" }
            if tokens.count == 2, tokens[0] == "struct" { names.append((name, tokens[1])) }
        }
        return names
    }

    private mutating func inferReferences(_ headers: CHeaderSet, _ functions: [String: CFunction]) {
        var seen: Set<String> = []
        for (name, tag) in Self.namedStructs(headers) where !seen.contains(tag) {
            for (retainWord, releaseWord) in Self.referencePairs {
                guard let retain = Self.unary(name, retainWord, tag, functions, headers),
                    let release = Self.unary(name, releaseWord, tag, functions, headers)
                else { continue }
                references.append(
                    SharedReference(
                        tag: tag, name: name, retain: retain.name, release: release.name,
                        evidence:
                            "\(retain.name)(\(retain.parameters[0].type)) and \(release.name)(\(release.parameters[0].type))"
                    ))
                seen.insert(tag)
                break
            }
        }
    }

    /// retained: a new reference (new, create, dup, copy, get1, d2i; OpenSSL's fetch and
    /// keygen; a conversion, `X509_REQ_to_X509`); unretained: a peek (get0, peek), or a
    /// `const` result (`const EVP_MD *EVP_MD_CTX_md(…)`), which the caller cannot release;
    /// otherwise undecided.
    static func ownership(of name: String, returning type: CType) -> ReturnOwnership? {
        let words = name.lowercased().split(separator: "_").map(String.init)
        if words.contains(where: { $0 == "get0" || $0 == "peek" || $0.hasPrefix("get0") }) { return .unretained }
        if words.contains(where: { $0 == "next" || $0 == "find" }) { return .unretained }
        let creating: Set = ["new", "create", "dup", "copy", "get1", "fetch", "keygen", "to", "read"]
        if words.contains(where: { creating.contains($0) })
            || words.first.map({ $0.hasPrefix("d2i") || $0.hasPrefix("b2i") }) == true
        {
            return .retained
        }
        if type.isConstQualified { return .unretained }
        return nil
    }

    private mutating func inferReturns(_ headers: CHeaderSet, _ functions: [String: CFunction]) {
        let tags = Set(references.map(\.tag))
        for function in headers.functions {
            guard let tag = headers.pointeeTag(of: function.returnType), tags.contains(tag) else { continue }
            // The retain function returns its argument in some libraries: not a new reference.
            if references.contains(where: { $0.retain == function.name || $0.release == function.name }) { continue }
            if let ownership = Self.ownership(of: function.name, returning: function.returnType) {
                let byName = Self.ownership(of: function.name, returning: CType("int")) != nil
                returns.append(
                    ReturnedReference(
                        function: function.name, ownership: ownership,
                        evidence:
                            "returns \(function.returnType); \(byName ? "its name says" : "a const result is") \(ownership == .retained ? "a new reference" : "a borrowed one")"
                    ))
            } else {
                findings.append(
                    Finding(
                        kind: .ownershipUndecided, subject: function.name,
                        advice:
                            "give it SwiftReturnOwnership (retained or unretained) in the overrides: without one Swift assumes +0, and a +1 result leaks",
                        evidence:
                            "returns \(function.returnType); the name says neither get0/peek nor new/dup/get1, and the result is not const"
                    ))
            }
        }
    }

    static let destroyWords = ["free", "destroy", "close", "finalize", "delete", "release", "unref"]

    private mutating func inferHandles(_ headers: CHeaderSet, _ functions: [String: CFunction]) {
        let shared = Set(references.map(\.tag))
        var seen: Set<String> = []
        for (name, tag) in Self.namedStructs(headers) where !shared.contains(tag) && !seen.contains(tag) {
            guard let free = Self.destroyWords.lazy.compactMap({ Self.unary(name, $0, tag, functions, headers) }).first
            else { continue }
            let makers = headers.functions.filter { function in
                headers.pointeeTag(of: function.returnType) == tag
                    || function.parameters.contains {
                        $0.type.pointerDepth == 2 && headers.resolved($0.type).tokens.contains(tag)
                    }
            }
            guard !makers.isEmpty else { continue }
            seen.insert(tag)
            findings.append(
                Finding(
                    kind: .singleOwnerHandle, subject: name,
                    advice: "one owner, freed once: SafeFFI's OwnedHandle(adopting:free: \(free.name))",
                    evidence:
                        "made by \(makers.prefix(3).map(\.name).joined(separator: ", ")), freed by \(free.name); no retain function"
                ))
        }
        // Memory handed to the caller: a non-const char * result.
        for function in headers.functions where headers.isTextPointer(function.returnType) {
            // A function that takes a writable char * usually returns it (gzgets, snprintf).
            guard !function.returnType.isConstQualified,
                !function.parameters.contains(where: { headers.isTextPointer($0.type) && !$0.type.isConstQualified })
            else { continue }
            let prefix = function.name.split(separator: "_").first.map(String.init) ?? function.name
            let free = ["\(prefix)_free", "\(prefix)_free_string", "free_\(prefix)"].first { functions[$0] != nil }
            findings.append(
                Finding(
                    kind: .callerFrees, subject: function.name,
                    advice:
                        "the caller frees the result: SafeFFI's OwnedCString(adopting:free: \(free ?? "the library's free function"))",
                    evidence: "returns \(function.returnType), not const"))
        }
    }
}
