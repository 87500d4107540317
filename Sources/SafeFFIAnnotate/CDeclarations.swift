// What the annotator knows of a C header: its functions, records and typedefs, read from
// Clang's AST, with each type held as Clang spells it and read through a small C type reader.

/// A C type as Clang spells it (`const Bytef *`, `void (*)(void *)`), with the typedefs of
/// its translation unit to see through names.
public struct CType: Hashable, Sendable, CustomStringConvertible {
    /// Clang's spelling, as written in the header (typedef names kept).
    public let spelling: String

    public init(_ spelling: String) {
        self.spelling = spelling
    }

    public var description: String { spelling }

    /// The spelling split into C tokens: identifiers and keywords, `*`, parentheses,
    /// brackets, commas and `...`.
    var tokens: [String] {
        var tokens: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        var characters = Array(spelling)[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else if character == "." {
                flush()
                if characters.starts(with: "..") { characters = characters.dropFirst(2) }
                tokens.append("...")
            } else {
                flush()
                if !character.isWhitespace { tokens.append(String(character)) }
            }
        }
        flush()
        return tokens
    }

    /// Whether this is a pointer to a function (`R (*)(A, B)`).
    public var isFunctionPointer: Bool {
        let tokens = self.tokens
        guard let open = tokens.firstIndex(of: "(") else { return false }
        return tokens.count > open + 1 && tokens[open + 1] == "*"
    }

    /// The parameter types of a function pointer, or `[]`.
    public var functionPointerParameters: [CType] {
        guard isFunctionPointer, let close = tokens.lastIndex(of: ")") else { return [] }
        let tokens = self.tokens
        // The last parenthesised group is the parameter list.
        var depth = 0
        var start = close
        while start > 0 {
            start -= 1
            if tokens[start] == ")" { depth += 1 }
            if tokens[start] == "(" {
                if depth == 0 { break }
                depth -= 1
            }
        }
        var parameters: [CType] = []
        var current: [String] = []
        depth = 0
        for token in tokens[(start + 1)..<close] {
            if token == "(" { depth += 1 }
            if token == ")" { depth -= 1 }
            if token == "," && depth == 0 {
                parameters.append(CType(current.joined(separator: " ")))
                current = []
            } else {
                current.append(token)
            }
        }
        if !current.isEmpty { parameters.append(CType(current.joined(separator: " "))) }
        return parameters == [CType("void")] ? [] : parameters
    }

    /// How many `*` end the spelling, outside any parentheses: 0 for a value, 1 for `T *`.
    public var pointerDepth: Int {
        guard !isFunctionPointer else { return 1 }
        return tokens.reversed().prefix { $0 == "*" || $0 == "const" || $0 == "restrict" || $0 == "volatile" }
            .filter { $0 == "*" }.count
    }

    /// What the pointer points to (one level), or `nil` when this is not a data pointer.
    public var pointee: CType? {
        guard !isFunctionPointer, pointerDepth > 0 else { return nil }
        var tokens = self.tokens
        while let last = tokens.last, last != "*" { tokens.removeLast() }
        tokens.removeLast()
        return CType(tokens.joined(separator: " "))
    }

    /// Whether the outermost pointee (or the value) is `const`: `const char *` yes, `char *const` no.
    public var isConstQualified: Bool {
        tokens.prefix { $0 != "*" }.contains("const")
    }

    /// The spelling without `const`, `volatile`, `restrict`, `struct`, `union` and `enum`
    /// keywords: the name a typedef table is looked up with.
    var baseName: String {
        tokens.filter { !["const", "volatile", "restrict", "__restrict"].contains($0) }.joined(separator: " ")
    }
}

/// A parameter of a C function.
public struct CParameter: Hashable, Sendable {
    public let name: String
    public let type: CType
}

/// A C function declared in one of the headers.
public struct CFunction: Hashable, Sendable {
    public let name: String
    public let returnType: CType
    public let parameters: [CParameter]
    public let isVariadic: Bool
    /// The header that declares it.
    public let file: String
}

/// A struct or union with its fields, when the header defines it.
public struct CRecord: Hashable, Sendable {
    public let tag: String
    public let isUnion: Bool
    public let fields: [CParameter]
    public let file: String
}

/// A function-like macro of one of the headers, with the names its body uses.
public struct CMacro: Hashable, Sendable {
    public let name: String
    public let bodyIdentifiers: [String]
    public let file: String
}

/// The declarations of a set of headers, and the typedefs of the whole translation unit.
public struct CHeaderSet: Sendable {
    public var functions: [CFunction] = []
    public var records: [CRecord] = []
    public var macros: [CMacro] = []
    /// Every typedef of the translation unit: name → the type it names.
    public var typedefs: [String: CType] = [:]
    /// The tags of every struct and union the translation unit defines (not only declares).
    public var completeRecordTags: Set<String> = []

    public init() {}

    /// `type` with its typedef names replaced by what they name, all the way down (at most
    /// 32 steps: a cycle cannot arise in C, but a malformed dump must not hang the tool).
    public func resolved(_ type: CType) -> CType {
        var type = type
        for _ in 0..<32 {
            let tokens = type.tokens
            // A name after struct, union or enum is a tag, even when a typedef has the same name.
            guard
                let index = tokens.indices.first(where: { index in
                    typedefs[tokens[index]] != nil && !Self.keywords.contains(tokens[index])
                        && (index == 0 || !["struct", "union", "enum"].contains(tokens[index - 1]))
                }),
                let named = typedefs[tokens[index]]
            else { return type }
            var replaced = tokens
            replaced.replaceSubrange(index...index, with: named.tokens)
            type = CType(replaced.joined(separator: " "))
        }
        return type
    }

    /// Whether `type`, seen through its typedefs, is an integer type.
    public func isInteger(_ type: CType) -> Bool {
        let tokens = resolved(type).tokens.filter { $0 != "const" && $0 != "volatile" }
        guard !tokens.isEmpty else { return false }
        let integerWords: Set = ["int", "long", "short", "unsigned", "signed"]
        return tokens.allSatisfy { integerWords.contains($0) }
    }

    /// What a one-level pointer points to, typedefs seen through and qualifiers dropped
    /// (`const Bytef *` → `unsigned char`), as tokens; `nil` for anything else.
    func pointeeWords(of type: CType) -> [String]? {
        let type = resolved(type)
        guard type.pointerDepth == 1, let pointee = type.pointee else { return nil }
        return resolved(pointee).tokens.filter { $0 != "const" && $0 != "volatile" }
    }

    /// The struct tag `type` points to (`EVP_PKEY *` → `evp_pkey_st`), or `nil`.
    public func pointeeTag(of type: CType) -> String? {
        guard let words = pointeeWords(of: type), words.count == 2, words[0] == "struct" else { return nil }
        return words[1]
    }

    /// The struct or union tag `type` points to (`SDL_Event *` → `SDL_Event`), or `nil`.
    public func pointeeRecordTag(of type: CType) -> String? {
        guard let words = pointeeWords(of: type), words.count == 2, ["struct", "union"].contains(words[0]) else {
            return nil
        }
        return words[1]
    }

    /// Whether `type` points to `void`.
    public func isVoidPointer(_ type: CType) -> Bool {
        pointeeWords(of: type) == ["void"]
    }

    /// Whether `type` points to a character type (`char`, `signed char`, `unsigned char`).
    public func isCharacterPointer(_ type: CType) -> Bool {
        pointeeWords(of: type)?.last == "char"
    }

    /// Whether `type` points to plain `char`, C's type for text (not `unsigned char` bytes).
    public func isTextPointer(_ type: CType) -> Bool {
        pointeeWords(of: type) == ["char"]
    }

    /// Whether `type` points to a struct or union (a record, complete or not).
    public func isRecordPointer(_ type: CType) -> Bool {
        pointeeWords(of: type)?.first.map { $0 == "struct" || $0 == "union" } ?? false
    }

    static let keywords: Set = [
        "const", "volatile", "restrict", "struct", "union", "enum", "unsigned", "signed", "int", "long", "short",
        "char", "void", "float", "double", "_Bool",
    ]
}
