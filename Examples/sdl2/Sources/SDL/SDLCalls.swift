// Every SDL call of the module, and the only file with `unsafe`: windows and surfaces are
// pointers SDL owns, and their pixels are memory SDL lends.

import CSDL2
import SafeFFI

extension SDLContext {
    /// Every isolated method runs on the SDL thread.
    // SAFETY: the actor keeps its executor alive (a stored constant).
    public nonisolated var unownedExecutor: UnownedSerialExecutor { unsafe executor.asUnownedSerialExecutor() }
}

/// The event type SDL_RegisterEvents returned, or 0 while SDL is not started. Its lock is
/// held across every SDL_PushEvent and across SDL_Quit, so no push reaches an SDL that is
/// shutting down (SDL_Quit frees the queue's lock that SDL_PushEvent takes).
final class UserEventType: Sendable {
    private let value = Serialized<UInt32>(0)
    var current: UInt32 { value.withLock { $0 } }
    func set(_ type: UInt32) { value.withLock { $0 = type } }
    func withLock<Result, E: Error>(_ body: (inout UInt32) throws(E) -> Result) throws(E) -> Result {
        try value.withLock(body)
    }
}

/// SDL's message for the call that just failed, and an empty error slot after it.
func sdlError(_ function: String) -> SDLError {
    // SAFETY: SDL_GetError returns a NUL-terminated string SDL owns, valid until the next
    // SDL call on this thread; it is copied here.
    let message = (try? unsafe String(strictCString: SDL_GetError())) ?? "a message that is not UTF-8"
    SDL_ClearError()
    return .sdl(function: function, message: message.isEmpty ? "no message" : message)
}

func startSDL(videoDriver: String, userEventType: UserEventType) throws(SDLError) {
    do {
        // SAFETY: the pointer is not used: the call only checks the name as C would read it.
        try unsafe videoDriver.withCheckedCString { _ in }
    } catch {
        throw .boundary(function: "SDL_SetHint", value: "the driver name", error)
    }
    // SAFETY: both strings are converted for the call; SDL copies the hint.
    guard unsafe SDL_SetHint(SDL_HINT_VIDEODRIVER, videoDriver) == SDL_TRUE else { throw sdlError("SDL_SetHint") }
    guard SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0 else { throw sdlError("SDL_Init") }
    let type = SDL_RegisterEvents(1)
    guard type != UInt32.max else { throw sdlError("SDL_RegisterEvents") }
    userEventType.set(type)
}

func stopSDL(userEventType: UserEventType) {
    userEventType.withLock { (type: inout UInt32) in
        type = 0
        SDL_Quit()
    }
}

func pushUserEvent(code: Int32, userEventType: UserEventType) throws(SDLError) {
    try userEventType.withLock { (type) throws(SDLError) in
        guard type != 0 else { throw SDLError.refused(function: "SDL_PushEvent", reason: "SDL is not started") }
        // SAFETY: the user member is written whole (type, then code; the rest stays zero),
        // and SDL copies the event during the call.
        var event = unsafe SDL_Event()
        unsafe event.type = type
        unsafe event.user.code = code
        // 1: queued; 0: a filter dropped it; negative: an error (such as a full queue).
        guard unsafe SDL_PushEvent(&event) >= 0 else { throw sdlError("SDL_PushEvent") }
    }
}

/// The next event, waiting up to `milliseconds` for one (and pumping SDL's sources, which
/// only the video thread may do).
func waitForEvent(milliseconds: Int32, userEventType: UserEventType) -> Event? {
    // SAFETY: one zeroed event, which SDL overwrites during the call.
    var event = unsafe SDL_Event()
    guard unsafe SDL_WaitEventTimeout(&event, milliseconds) == 1 else {
        SDL_ClearError()  // a timeout leaves "Timed out" behind
        return nil
    }
    return unsafe Event(event, userType: userEventType.current)
}

/// A hidden SDL window and its surface, destroyed once when the value ends.
@safe
public struct Window: ~Copyable {
    private let window: OpaquePointer
    private let surface: UnsafeMutablePointer<SDL_Surface>

    init(width: Int32, height: Int32) throws(SDLError) {
        guard width > 0, height > 0 else {
            throw SDLError.refused(function: "SDL_CreateWindow", reason: "a window of \(width) × \(height) pixels")
        }
        // SAFETY: the title is converted for the call; the window is destroyed once, below
        // or in deinit.
        guard let window = unsafe SDL_CreateWindow("", 0, 0, width, height, SDL_WINDOW_HIDDEN.rawValue) else {
            throw sdlError("SDL_CreateWindow")
        }
        // SAFETY: the surface belongs to the window and lives as long as it does.
        guard let surface = unsafe SDL_GetWindowSurface(window) else {
            let error = sdlError("SDL_GetWindowSurface")
            unsafe SDL_DestroyWindow(window)
            throw error
        }
        unsafe self.window = window
        unsafe self.surface = surface
    }

    deinit {
        // SAFETY: created in init, destroyed once; the surface goes with it.
        unsafe SDL_DestroyWindow(window)
    }

    /// The window's size in pixels.
    public var size: (width: Int32, height: Int32) {
        // SAFETY: the surface lives as long as the window.
        unsafe (surface.pointee.w, surface.pointee.h)
    }

    /// Fills `rectangle` (clipped to the window) with `color`.
    public func fill(_ rectangle: Rectangle, with color: Color) throws(SDLError) {
        var rect = SDL_Rect(x: rectangle.x, y: rectangle.y, w: rectangle.width, h: rectangle.height)
        // SAFETY: the surface and its format live as long as the window; `rect` is a local.
        let pixel = unsafe SDL_MapRGB(surface.pointee.format, color.red, color.green, color.blue)
        guard unsafe SDL_FillRect(surface, &rect, pixel) == 0 else { throw sdlError("SDL_FillRect") }
    }

    /// Shows what was drawn (`SDL_UpdateWindowSurface`).
    public func update() throws(SDLError) {
        // SAFETY: the window is alive.
        guard unsafe SDL_UpdateWindowSurface(window) == 0 else { throw sdlError("SDL_UpdateWindowSurface") }
    }

    /// The colour of the pixel at (`x`, `y`), or `nil` outside the window.
    public func pixel(x: Int32, y: Int32) -> Color? {
        // SAFETY: the surface lives as long as the window. Its pixels are `h` rows of `pitch`
        // bytes; (x, y) is checked inside w × h, and a pixel of BytesPerPixel (4 for the
        // window surfaces SDL makes) bytes is read there, under the surface's lock.
        let surface = unsafe self.surface
        let (width, height) = size
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        guard unsafe SDL_LockSurface(surface) == 0, let pixels = unsafe surface.pointee.pixels else { return nil }
        defer { unsafe SDL_UnlockSurface(surface) }
        let format = unsafe surface.pointee.format!
        precondition(unsafe format.pointee.BytesPerPixel == 4, "window surfaces hold 32-bit pixels")
        let offset = Int(y) * Int(unsafe surface.pointee.pitch) + Int(x) * 4
        let value = unsafe pixels.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        var red: UInt8 = 0
        var green: UInt8 = 0
        var blue: UInt8 = 0
        // SAFETY: the format lives with the surface; SDL writes the three locals.
        unsafe SDL_GetRGB(value, format, &red, &green, &blue)
        return Color(red: red, green: green, blue: blue)
    }
}

extension Event {
    /// Reads the member of the SDL_Event union that the event's `type` says is there. Every
    /// member starts with `type`, and each case reads only its own member.
    init(_ event: SDL_Event, userType: UInt32) {
        // SAFETY: reading a member of the union the type field names (SDL's own rule).
        let type = unsafe event.type
        switch type {
        case userType: self = unsafe .user(code: event.user.code)
        case SDL_QUIT.rawValue: self = .quit
        case SDL_WINDOWEVENT.rawValue: self = unsafe .window(id: event.window.windowID, event: event.window.event)
        default: self = .other(type: type)
        }
    }
}
