import XCTest
@testable import Shell

/// Every way a line can carry a password, and lines that only look like it.
final class HistoryRedactionTests: XCTestCase {
    func check(_ line: String, _ expected: String, file: StaticString = #filePath, line n: UInt = #line) {
        XCTAssertEqual(HistoryRedaction.redact(line), expected, file: file, line: n)
        XCTAssertFalse(HistoryRedaction.redact(line).contains("S3cret"), file: file, line: n)
    }

    func testEveryFormOfASecretIsMasked() {
        let create = "az postgres server create -g rg -n pg"
        check("\(create) -p S3cret!x", "\(create) -p ********")
        check("\(create) --admin-pass S3cret!x", "\(create) --admin-pass ********")
        check("\(create) --admin-password=S3cret!x", "\(create) --admin-password=********")
        check("\(create) -pS3cret!x", "\(create) -p********")
        check("\(create) -p 'S3cret with spaces'", "\(create) -p '********'")
        check("\(create) -p  \"S3cret two\"", "\(create) -p  \"********\"")
        check("  \(create) -p S3cret!x", "  \(create) -p ********")
        check("X=$(\(create) -p S3cret!x --query name -o tsv)", "X=$(\(create) -p ******** --query name -o tsv)")
        check("expect-fail --code 2 \(create) -p S3cret!x", "expect-fail --code 2 \(create) -p ********")
        check("await --until @ --within 5m \(create) -p S3cret!x", "await --until @ --within 5m \(create) -p ********")
        check("\(create) \\\n  -p S3cret!x", "\(create) \\\n  -p ********")
        check("AZURE_DEFAULTS_GROUP=rg \(create) -p S3cret!x", "AZURE_DEFAULTS_GROUP=rg \(create) -p ********")
        check("PW=S3cret!x", "PW=********")
        check("DB_PASSWORD='S3cret x'", "DB_PASSWORD='********'")
        check("az Postgres Server create -g rg -n pg -p S3cret!x", "az Postgres Server create -g rg -n pg -p ********")
    }

    func testOtherOptionsAndVariablesAreLeftAlone() {
        for line in [
            "az keyvault key create --vault-name v -n k -p software", "RG=rg", "echo -p x",
            "az postgres server create -g rg -n pg -p $PW", "az group create -n pass -l westus",
        ] {
            XCTAssertEqual(HistoryRedaction.redact(line), line)
        }
    }

    func testTheSecretsOfALineAreFoundForMaskingOutput() {
        XCTAssertEqual(
            HistoryRedaction.secrets(in: "az postgres server create -g rg -n pg -p 'S3cret x' -u admin"), ["S3cret x"])
        XCTAssertEqual(HistoryRedaction.secrets(in: "az postgres server create -g rg -n pg -p $PW"), [])
    }
}
