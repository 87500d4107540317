// Each section does what the tutorial's example function does, through the safe API,
// and then shows the bad input the tutorial's version mishandles.

import Native

/// Prints a refusal or error. The tutorial writes these to standard error; the demo keeps
/// them on standard output, in order with the rest of the section.
func printError(_ message: String) {
    print(message)
}

func basicExample() {
    do {
        let text = "Hello, FFI!"
        print("Length of '\(text)': \(try cStringLength(text))")
        print("Comparing 'apple' and 'banana': \(try compareCStrings("apple", "banana"))")
        print("Hash of 'hello': \(String(computeHash("hello"), radix: 16))")
        var values: [Int32] = [1, -2, 1_500_000_000]
        try doubleSaturating(&values)
        print("Doubled (saturating): \(values)")
        _ = try cStringLength("nul\0inside")
    } catch {
        printError("Refused: \(error)")
    }
}

func stringExample() {
    do {
        print("Version: \(try NativeLibrary.version())")
        try NativeLibrary.setName("SwiftApp")
        print("Name: \(try NativeLibrary.name() ?? "(none)")")
        if let message = try NativeLibrary.lastErrorMessage() {
            printError("C library error: \(message)")
        }
        do {
            try NativeLibrary.setName(String(repeating: "x", count: 64))
        } catch {
            printError("Refused: \(error)")
            print("C library error message: \(try NativeLibrary.lastErrorMessage() ?? "(none)")")
        }
    } catch {
        printError("Error: \(error)")
    }
}

func structExample() {
    let p1 = Point(x: 0, y: 0)
    let p2 = Point(x: 3, y: 4)
    print("Distance: \(p1.distance(to: p2))")
    let rect = Rect(x1: 0, y1: 0, x2: 10, y2: 10)
    print("Contains: \(rect.contains(Point(x: 5, y: 5)))")
    do {
        let red = Color(r: 255, g: 0, b: 0, a: 255)
        let blue = Color(r: 0, g: 0, b: 255, a: 255)
        let gradient = try Color.gradient(from: red, to: blue, steps: 10)
        print("Gradient steps: \(gradient.count)")
        print("Gradient: \(gradient.first!) … \(gradient.last!)")
        _ = try Color.gradient(from: red, to: blue, steps: Int(Int32.max) + 11)
    } catch {
        printError("Refused: \(error)")
    }
}

func callbackExample() {
    var sum = 0
    var count = 0
    processItems([10, 20, 30, 40, 50]) { value in
        print("Callback received: \(value)")
        sum += Int(value)
        count += 1
    }
    print("Total sum: \(sum), count: \(count)")
    print("Callback still registered: \(isCallbackRegistered)")
}

func opaqueExample() {
    do {
        let handle = try NativeHandle(configuration: Array("some configuration".utf8))
        print("Handle result: \(handle.configurationHash())")
        _ = try NativeHandle(configuration: [])
    } catch {
        printError("Refused: \(error)")
    }
}

func errorExample() {
    for input: Int32 in [42, -1, 13, 600_000] {
        do {
            print("Success: \(try performOperation(input))")
        } catch {
            printError("Error: \(error)")
        }
    }
}

func arrayExample() {
    print("Sum: \(sumInOrder([1.0, 2.0, 3.0, 4.0, 5.0]))")
    var values: [Int32] = [1, 2, 3, 4, 5]
    incrementWrapping(&values)
    print("Modified: \(values)")
    do {
        var buffer = try AdoptedBuffer(size: 1024)
        buffer.fill(0xFF)
        let first = buffer.withSpan { span in (0..<10).map { span[$0] } }
        print("Buffer first bytes: \(first)")
        _ = try AdoptedBuffer(size: 0)
    } catch {
        printError("Refused: \(error)")
    }
}

func antiPatternExample() {
    print("Data first byte: \(StaticLibraryData.firstByte().map(String.init) ?? "none")")
    do {
        let data = try AdoptedLibraryData()
        print("Allocated data: \(data.bytes.prefix(6))")
        try KeptString.store("kept by C")
        print("Stored string: \(try KeptString.current() ?? "(none)")")
        KeptString.clear()
        try KeptString.store("a\0b")
    } catch {
        printError("Refused: \(error)")
    }
}

func zeroCopyExample() {
    do {
        var buffer = try SharedBuffer(size: 1024)
        buffer.withMutableSpan { span in
            for index in span.indices {
                span[index] = UInt8(truncatingIfNeeded: index)
            }
        }
        try buffer.process()
        let first = buffer.withSpan { span in (0..<10).map { span[$0] } }
        print("First 10 bytes: \(first)")
    } catch {
        printError("Error: \(error)")
    }
}
