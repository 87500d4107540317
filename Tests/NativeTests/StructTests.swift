import Native
import Testing

extension NativeTests {
    @Suite("Example 3: structs")
    struct StructTests {
        @Test("distance is Euclidean")
        func distance() {
            #expect(Point(x: 0, y: 0).distance(to: Point(x: 3, y: 4)) == 5.0)
            #expect(Point(x: -1, y: -1).distance(to: Point(x: -1, y: -1)) == 0.0)
            #expect(Point(x: 1e300, y: 0).distance(to: Point(x: -1e300, y: 0)) == 2e300)
        }

        @Test("contains is inclusive, accepts corners in any order, and is false for NaN")
        func contains() {
            let rect = Rect(x1: 0, y1: 0, x2: 10, y2: 10)
            #expect(rect.contains(Point(x: 5, y: 5)))
            #expect(rect.contains(Point(x: 0, y: 10)))
            #expect(!rect.contains(Point(x: 10.000001, y: 5)))
            #expect(!rect.contains(Point(x: -0.5, y: 5)))
            #expect(Rect(x1: 10, y1: 10, x2: 0, y2: 0).contains(Point(x: 5, y: 5)))
            #expect(!rect.contains(Point(x: .nan, y: 5)))
            #expect(!Rect(x1: .nan, y1: 0, x2: 10, y2: 10).contains(Point(x: 5, y: 5)))
        }

        @Test("a red-to-blue gradient has the exact rounded colours")
        func gradientValues() throws {
            let red = Color(r: 255, g: 0, b: 0, a: 255)
            let blue = Color(r: 0, g: 0, b: 255, a: 255)
            let gradient = try Color.gradient(from: red, to: blue, steps: 10)
            #expect(gradient.map(\.r) == [255, 227, 198, 170, 142, 113, 85, 57, 28, 0])
            #expect(gradient.map(\.b) == [0, 28, 57, 85, 113, 142, 170, 198, 227, 255])
            #expect(gradient.allSatisfy { $0.g == 0 && $0.a == 255 })
        }

        @Test("one step is the start; halves round away from zero")
        func gradientEdges() throws {
            let black = Color(r: 0, g: 0, b: 0, a: 0)
            let one = Color(r: 1, g: 1, b: 1, a: 1)
            #expect(try Color.gradient(from: one, to: black, steps: 1) == [one])
            #expect(try Color.gradient(from: black, to: one, steps: 2) == [black, one])
            #expect(try Color.gradient(from: black, to: one, steps: 3).map(\.r) == [0, 1, 1])
            #expect(try Color.gradient(from: one, to: black, steps: 3).map(\.r) == [1, 0, 0])
            let longest = try Color.gradient(from: black, to: one, steps: Color.maximumGradientSteps)
            #expect(longest.count == 1_048_576)
            #expect(longest.first == black && longest.last == one)
        }

        @Test(
            "steps outside 1...1048576 are refused by C",
            arguments: [0, -5, 1_048_577, Int(Int32.max), Int(Int32.min)])
        func gradientRefusedByC(steps: Int) {
            let black = Color(r: 0, g: 0, b: 0, a: 0)
            #expect(
                throws: NativeError.library(
                    function: "create_gradient", code: .invalidInput,
                    message: "steps must be in 1...1048576, got \(steps)")
            ) { try Color.gradient(from: black, to: black, steps: steps) }
        }

        @Test("steps that do not fit a C int are refused, never truncated (seed defect 3)")
        func gradientStepsTruncation() {
            let black = Color(r: 0, g: 0, b: 0, a: 0)
            // 2^32 + 10 truncates to 10 as a C int: the tutorial would ask for 10 colours
            // and then read 2^32 + 10 of them.
            #expect(
                throws: NativeError.boundary(
                    BoundaryErrorFixture.int32(value: (1 << 32) + 10))
            ) { try Color.gradient(from: black, to: black, steps: (1 << 32) + 10) }
            #expect(
                throws: NativeError.boundary(BoundaryErrorFixture.int32(value: Int(Int32.max) + 1))
            ) { try Color.gradient(from: black, to: black, steps: Int(Int32.max) + 1) }
        }
    }
}
