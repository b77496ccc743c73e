// Facts about the driver's generation filter: an event's key finds a registration only while fd
// and generation both match, so an event for a closed fd whose number was reused is ignored and the
// new registration is found by its own key. No kernel: registrations of made-up fd numbers.

import Testing

@testable import RunvizRuntime

@Suite struct RegistrationTableTests {
    @Test func theStaleKeyOfAClosedAndReusedFdFindsNothing() {
        var table = RegistrationTable()
        let old = Registration(fd: 7, generation: 1)
        table.insert(old)
        #expect(table.registration(for: old.key) === old)

        table.remove(old)
        let new = Registration(fd: 7, generation: 2)
        table.insert(new)
        #expect(table.registration(for: old.key) == nil)
        #expect(table.registration(for: new.key) === new)
    }

    @Test func removingAnEarlierRegistrationLeavesTheNewerOne() {
        var table = RegistrationTable()
        let old = Registration(fd: 3, generation: 5)
        let new = Registration(fd: 3, generation: 6)
        table.insert(old)
        table.insert(new)
        table.remove(old)
        #expect(table.registration(for: new.key) === new)
        #expect(table.registration(for: old.key) == nil)
    }

    @Test func keysOutsideTheTableFindNothing() {
        var table = RegistrationTable()
        table.insert(Registration(fd: 2, generation: 1))
        #expect(table.registration(for: EpollKey(fd: 500, generation: 1)) == nil)
        #expect(table.registration(for: .wake) == nil)
    }
}
