// Tutorial Example 3: structs by value and by pointer, and an array of structs C allocates.

import SafeFFI

/// A point in the plane. A plain value, `Sendable` because it holds only two doubles.
public struct Point: Equatable, Hashable, Sendable {
    /// The horizontal coordinate.
    public var x: Double
    /// The vertical coordinate.
    public var y: Double

    /// Creates a point from its coordinates.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The Euclidean distance to `other`. The corresponding C function is
    /// `calculate_distance`.
    @inlinable
    public func distance(to other: Point) -> Double {
        LibNative.calculate_distance(self, other)
    }
}

/// An axis-aligned rectangle given by two opposite corners, in any order.
/// A plain value, `Sendable` because it holds only points.
public struct Rect: Equatable, Hashable, Sendable {
    /// One corner, any of the four.
    public var corner: Point
    /// The opposite corner.
    public var oppositeCorner: Point

    /// Creates a rectangle from two opposite corners.
    public init(corner: Point, oppositeCorner: Point) {
        self.corner = corner
        self.oppositeCorner = oppositeCorner
    }

    /// Creates a rectangle from the coordinates of two opposite corners.
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.init(corner: Point(x: x1, y: y1), oppositeCorner: Point(x: x2, y: y2))
    }

    /// Whether `point` lies inside the rectangle or on its edge; `false` when any
    /// coordinate is NaN. The corresponding C function is `rect_contains_point`.
    @inlinable
    public func contains(_ point: Point) -> Bool {
        LibNative.rect_contains_point(self, contains: point)
    }
}

/// An RGBA colour. A plain value, `Sendable` because it holds only bytes.
public struct Color: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The red channel, 0 (none) to 255 (full).
    public var r: UInt8
    /// The green channel, 0 to 255.
    public var g: UInt8
    /// The blue channel, 0 to 255.
    public var b: UInt8
    /// Opacity: 0 is transparent, 255 opaque.
    public var a: UInt8

    /// Creates a colour from its four channels.
    public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    public var description: String { "rgba(\(r), \(g), \(b), \(a))" }

    /// The largest number of steps ``gradient(from:to:steps:)`` accepts.
    public static let maximumGradientSteps = LibNative.gradientMaximumSteps

    /// `steps` colours from `start` to `end`, both included, interpolated linearly by
    /// libnative. The corresponding C function is `create_gradient`; the array it
    /// allocates is copied and freed with `free_colors`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` when `steps` does not fit a C
    ///   `int` (it is never truncated);
    ///   ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for steps ≤ 0 or above
    ///   ``maximumGradientSteps``, ``NativeErrorCode/outOfMemory`` when C cannot
    ///   allocate.
    public static func gradient(from start: Color, to end: Color, steps: Int) throws(NativeError) -> [Color] {
        guard let colors = try LibNative.create_gradient(from: start, to: end, steps: steps) else {
            throw lastError(of: "create_gradient")
        }
        return colors
    }
}
