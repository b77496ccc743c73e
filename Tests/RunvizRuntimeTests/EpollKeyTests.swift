// Facts about EpollKey: fd and generation survive the trip through epoll's 64-bit data word, and
// the wake key names no fd a registration could have.

import Testing

@testable import RunvizRuntime

@Suite struct EpollKeyTests {
    static let keys = [
        EpollKey(fd: 0, generation: 1), EpollKey(fd: 5, generation: 0xFFFF_FFFE),
        EpollKey(fd: .max, generation: 42),
    ]

    @Test(arguments: keys)
    func fdAndGenerationSurviveTheDataWord(key: EpollKey) {
        let back = EpollKey(rawValue: key.rawValue)
        #expect(back.fd == key.fd)
        #expect(back.generation == key.generation)
    }

    @Test func theGenerationIsTheHighHalf() {
        #expect(EpollKey(fd: 9, generation: 3).rawValue == 3 << 32 | 9)
    }

    @Test func theWakeKeyNamesNoValidFd() {
        #expect(EpollKey.wake.fd == -1)
        #expect(EpollKey.wake.rawValue == .max)
    }
}
