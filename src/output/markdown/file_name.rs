//! The file a unit's write-up is written to by `run --format md --out DIR`: named by the unit
//! code, which may hold any character. Letters, digits, `-`, `_` and `.` stay as they are (a
//! code like `430212-RSJ` or `渌口区人社局` reads as itself); every other character — `/`,
//! `..`'s leading dot, spaces, controls, `%` itself — is written as `%XX` of its UTF-8 bytes,
//! so two codes never share a name and no name leaves DIR or hides in it. A name too long for
//! a file system is cut and ends in `~` and a checksum of the whole code (`~` is otherwise
//! always encoded), so it stays distinct.

use std::fmt::Write;

/// Longest name kept whole, in bytes: file systems allow 255, and the write goes through a
/// temporary file named `.<name>.XXXXXX.tmp`.
const MAX_NAME: usize = 200;
/// Where a name too long is cut, leaving room for `~` and 16 hexadecimal digits.
const CUT_AT: usize = MAX_NAME - 17;

/// FNV-1a, 64 bits: a fixed checksum, the same on every run and platform.
fn checksum(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `<code>.md`, encoded as the module says.
pub fn writeup_file_name(code: &str) -> String {
    let mut name = String::with_capacity(code.len());
    for (i, c) in code.chars().enumerate() {
        let kept = c.is_alphanumeric() || c == '-' || c == '_' || (c == '.' && i > 0);
        if kept {
            name.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(name, "%{byte:02X}");
            }
        }
    }
    if code.is_empty() {
        // Not a name any code encodes to: a `%` is always followed by two digits.
        name.push('%');
    }
    if name.len() > MAX_NAME {
        let mut cut = CUT_AT;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
        let _ = write!(name, "~{:016x}", checksum(code));
    }
    name.push_str(".md");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_codes_read_as_themselves() {
        assert_eq!(writeup_file_name("430212-RSJ"), "430212-RSJ.md");
        assert_eq!(writeup_file_name("G1-000001"), "G1-000001.md");
        assert_eq!(
            writeup_file_name("渌口区人社局_2023.v2"),
            "渌口区人社局_2023.v2.md"
        );
    }

    #[test]
    fn no_code_leaves_the_folder_hides_or_forges_a_character() {
        assert_eq!(writeup_file_name("../etc/passwd"), "%2E.%2Fetc%2Fpasswd.md");
        assert_eq!(writeup_file_name(".hidden"), "%2Ehidden.md");
        assert_eq!(writeup_file_name("a b\n"), "a%20b%0A.md");
        assert_eq!(writeup_file_name("50%"), "50%25.md");
        assert_eq!(writeup_file_name("C:\\x"), "C%3A%5Cx.md");
        assert_eq!(writeup_file_name("\u{202e}"), "%E2%80%AE.md");
        assert_eq!(writeup_file_name(""), "%.md");
    }

    #[test]
    fn different_codes_get_different_names() {
        let codes = ["a/b", "a%2Fb", "a_b", "a-b", "a.b", "%", "", "%25", "~"];
        let mut names: Vec<String> = codes.iter().map(|c| writeup_file_name(c)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), codes.len(), "{names:?}");
    }

    #[test]
    fn long_codes_are_cut_and_stay_distinct() {
        let long = "单".repeat(300);
        let longer = format!("{long}位");
        let (a, b) = (writeup_file_name(&long), writeup_file_name(&longer));
        assert!(a.len() <= MAX_NAME + 3, "{}", a.len());
        assert!(a.ends_with(".md") && a.contains('~'), "{a}");
        assert_ne!(a, b);
        assert_eq!(writeup_file_name(&long), a, "the same code, the same name");
    }
}
