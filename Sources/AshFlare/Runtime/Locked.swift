#if ASHFLARE_PTHREAD_LOCKS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#else
import Synchronization
#endif

/// A value protected by a lock: `Synchronization.Mutex` normally.
///
/// A class, not a `~Copyable` struct around the `Mutex`: the struct form saved an allocation but
/// leaked values under LeakSanitizer (the chaos soak found it), so it was reverted.
///
/// Built with `-Xswiftc -DASHFLARE_PTHREAD_LOCKS` it uses a `pthread_mutex_t` instead, which
/// ThreadSanitizer understands (it does not see `Mutex`'s futex on Linux and reports false races);
/// `.ci/run` builds the ThreadSanitizer run that way. The two behave the same.
package final class Locked<Value: Sendable>: Sendable {
    #if ASHFLARE_PTHREAD_LOCKS
    private let storage: PThreadBox<Value>
    #else
    private let mutex: Mutex<Value>
    #endif

    package init(_ value: Value) {
        #if ASHFLARE_PTHREAD_LOCKS
        storage = PThreadBox(value)
        #else
        mutex = Mutex(value)
        #endif
    }

    /// Runs `body` with exclusive access to the value. Never `await` or block inside.
    @inline(__always)
    package func withLock<R: Sendable, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        #if ASHFLARE_PTHREAD_LOCKS
        try storage.withLock(body)
        #else
        try mutex.withLock { (value: inout sending Value) throws(E) -> sending R in try body(&value) }
        #endif
    }
}

#if ASHFLARE_PTHREAD_LOCKS
// @unchecked: `value` is only read or written while `mutex` is held.
private final class PThreadBox<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
#endif
