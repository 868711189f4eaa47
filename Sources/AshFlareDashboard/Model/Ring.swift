/// A fixed-capacity buffer that keeps the newest elements; appending is O(1).
public struct Ring<Element> {
    private var storage: [Element] = []
    private var start = 0
    /// The most elements kept.
    public let capacity: Int

    /// Creates an empty ring holding at most `capacity` elements.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    /// The number of elements held.
    public var count: Int { storage.count }

    /// Whether it holds nothing.
    public var isEmpty: Bool { storage.isEmpty }

    /// Appends `element`, dropping the oldest when full.
    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The element `offset` places after the oldest one.
    public subscript(offset: Int) -> Element {
        storage[(start + offset) % storage.count]
    }

    /// The newest element, if any.
    public var last: Element? {
        storage.isEmpty ? nil : self[storage.count - 1]
    }

    /// Every element, oldest first.
    public var elements: [Element] {
        Array(storage[start...] + storage[..<start])
    }

    /// Removes everything.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        start = 0
    }
}

extension Ring: Sendable where Element: Sendable {}
