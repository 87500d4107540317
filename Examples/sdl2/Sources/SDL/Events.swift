// Events by kind, colours, rectangles and SDL's errors: what users see of SDL's types.

/// An event from SDL's queue, by kind.
public enum Event: Sendable, Equatable {
    /// An event of the application's own type, posted with ``SDLContext/post(code:)``.
    case user(code: Int32)
    /// The application was asked to quit.
    case quit
    /// Something happened to a window (`SDL_WINDOWEVENT`): the window's id and the
    /// `SDL_WindowEventID`.
    case window(id: UInt32, event: UInt8)
    /// Any other kind, by its `SDL_EventType` value.
    case other(type: UInt32)

}

/// A colour, 8 bits a channel.
public struct Color: Hashable, Sendable {
    /// The channels, 0 to 255.
    public var red: UInt8, green: UInt8, blue: UInt8

    /// A colour of these channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// A rectangle in a window, in pixels.
public struct Rectangle: Hashable, Sendable {
    /// The top left corner (y grows downwards) and the size.
    public var x: Int32, y: Int32, width: Int32, height: Int32

    /// A rectangle at (`x`, `y`) of `width` × `height` pixels.
    public init(x: Int32, y: Int32, width: Int32, height: Int32) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// What SDL said when a call failed (`SDL_GetError`).
public struct SDLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The SDL function that failed.
    public let function: String
    /// SDL's message, such as "Couldn't find matching render driver".
    public let message: String

    /// An error of `function` with SDL's `message`.
    public init(function: String, message: String) {
        self.function = function
        self.message = message
    }

    public var description: String { "\(function) failed: \(message)" }
}
