// Events by kind, colours, rectangles and SDL's errors: what users see of SDL's types.

import SafeFFI

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

/// Why an SDL call failed.
public enum SDLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SDL reported failure; `message` is `SDL_GetError`'s, such as "Couldn't find matching
    /// render driver".
    case sdl(function: String, message: String)
    /// Refused before SDL was called: `reason` says why (SDL is not started, a window of
    /// no pixels).
    case refused(function: String, reason: String)
    /// `value` (such as "the driver name") could not cross to SDL: SafeFFI's reason.
    case boundary(function: String, value: String, BoundaryError)

    /// The SDL function that failed or was not called.
    public var function: String {
        switch self {
        case .sdl(let function, _), .refused(let function, _), .boundary(let function, _, _): function
        }
    }

    public var description: String {
        switch self {
        case .sdl(let function, let message): "\(function) failed: \(message)"
        case .refused(let function, let reason): "\(function) not called: \(reason)"
        case .boundary(let function, let value, let error): "\(function) not called: \(value): \(error)"
        }
    }
}
