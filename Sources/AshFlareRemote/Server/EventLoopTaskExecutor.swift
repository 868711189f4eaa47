import NIOCore

/// Runs a task's jobs on a NIO event loop (SE-0417 task executor preference).
///
/// A connection's reader and its cheap requests prefer their channel's event loop: a frame read
/// on the loop is decoded, dispatched and answered on the same thread, instead of hopping to the
/// concurrency pool and back — each hop costs 10–20 µs on a small VM, and a `kill` round trip
/// used to make five of them on the server.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
