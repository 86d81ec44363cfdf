import Cloud
import Foundation

/// Format 1 (keydrill before the journal became binary): `world.json` held the whole world and
/// `journal.jsonl` one JSON patch per command. Such a directory still loads; the next command
/// writes it in the current format.
enum LegacyFormat {
    static let journalName = "journal.jsonl"

    struct JournalRecord: Decodable {
        let generation: Int
        let patch: WorldPatch
    }

    static func load(_ data: Data, path: String, generation: Int, directory: String) throws -> World {
        struct Envelope: Decodable { let world: World }
        var world: World
        do {
            world = try StoreCoding.decoder.decode(Envelope.self, from: data).world
        } catch {
            throw StoreError(
                "the state file \(path) is corrupt (\(error)); keydrill will not overwrite it. Move it away to start "
                    + "a new world, or use --state DIR."
            )
        }
        let journalPath = directory + "/" + journalName
        guard let journal = FileManager.default.contents(atPath: journalPath) else { return world }
        var offset = journal.startIndex
        let decoder = StoreCoding.decoder
        // A last line without its newline is a write a crash cut short: ignored.
        while let nl = journal[offset...].firstIndex(of: UInt8(ascii: "\n")) {
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: journal[offset..<nl])
            } catch {
                throw StoreError(
                    "the journal \(journalPath) is corrupt at byte \(offset - journal.startIndex) (\(error)); "
                        + "keydrill will not overwrite it. Move the state directory away to start a new world."
                )
            }
            if record.generation == generation { world.apply(record.patch) }
            offset = nl + 1
        }
        return world
    }
}
