//! How a unit's reason text (偏差原因) is read for the causes it names, with the plain settings
//! of `rules/causes.toml`. The algorithm, as that file's header tells analysts:
//!
//! 1. The text is read in simplified characters (traditional ones are converted for matching
//!    only) and cut into clauses at `，,；;。！!？?：:` and line breaks.
//! 2. Every pattern of every cause is looked for in each clause. A pattern is plain text; a `*`
//!    in it stands for up to `max_gap` characters of the same clause (`资金*晚` finds 资金下达较晚).
//! 3. Where patterns of two causes overlap in the text, the one covering more characters keeps
//!    the place and the other is dropped there (`政策调整` beats a bare `调整`).
//! 4. A match is ruled out when a negation (`未发生`, `不存在`, `无` …) ends at most `max_gap`
//!    characters before it in its clause, or when the match right before it was ruled out and
//!    ends at most `max_gap` characters before it (`未发生政策调整、资金下达晚`). A negation
//!    inside a word of `negation_exceptions` (`无法`) or inside a matched pattern does not
//!    negate. A cause's matches in a clause that holds one of its `excluded_by` patterns do not
//!    count.
//! 5. The causes left rank in the order the reason names them (units state the main cause
//!    first: 一是…二是…, 因…导致…): the first is the finding's cause, the others its
//!    `other_causes`.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Characters that end a clause.
const CLAUSE_ENDS: &[char] = &[
    '，', ',', '；', ';', '。', '！', '!', '？', '?', '：', ':', '\n', '\r',
];

/// `text` in simplified characters, one character for each of `text`'s.
pub fn simplified(text: &str) -> String {
    fast2s::convert(text)
}

/// A pattern of `causes.toml`: pieces of text, each `*` between two of them a gap of up to
/// `max_gap` characters.
#[derive(Debug, Clone)]
pub struct Pattern {
    pieces: Vec<Vec<char>>,
}

impl Pattern {
    /// Reads a pattern as an analyst wrote it; the error says what is wrong in plain words.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let written = simplified(text.trim());
        if written.is_empty() {
            return Err("a pattern cannot be empty".to_string());
        }
        let pieces: Vec<Vec<char>> = written.split('*').map(|p| p.chars().collect()).collect();
        if pieces.iter().any(Vec::is_empty) {
            return Err(format!(
                "pattern `{text}`: a `*` stands between two pieces of text (`资金*晚`), \
                 never at either end or twice in a row"
            ));
        }
        Ok(Pattern { pieces })
    }

    /// The characters a match covers (a gap is not covered).
    fn weight(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    fn first(&self) -> Option<char> {
        self.pieces.first().and_then(|p| p.first()).copied()
    }

    fn occurrences(&self, clause: &[char], max_gap: usize) -> Vec<Range<usize>> {
        (0..clause.len())
            .filter_map(|start| self.at(clause, start, max_gap))
            .collect()
    }

    /// The characters from the first piece, starting at `start`, to the end of the last, each
    /// later piece as early as it can be while the rest still fits.
    fn at(&self, clause: &[char], start: usize, max_gap: usize) -> Option<Range<usize>> {
        self.place(clause, 0, start, start, max_gap)
            .map(|end| start..end)
    }

    /// Places piece `index` somewhere in `from..=latest` and the pieces after it, returning
    /// where the last one ends.
    fn place(
        &self,
        clause: &[char],
        index: usize,
        from: usize,
        latest: usize,
        max_gap: usize,
    ) -> Option<usize> {
        let Some(piece) = self.pieces.get(index) else {
            return Some(from);
        };
        (from..=latest).find_map(|at| {
            let end = at + piece.len();
            (clause.get(at..end) == Some(piece.as_slice()))
                .then(|| self.place(clause, index + 1, end, end + max_gap, max_gap))
                .flatten()
        })
    }
}

/// One cause's patterns, as the catalogue lists them.
#[derive(Debug, Clone)]
pub struct CausePatterns {
    pub patterns: Vec<Pattern>,
    pub excluded_by: Vec<Pattern>,
}

/// A cause a reason names: its index in the catalogue, and the clause that names it first (a
/// byte range of the reason as written).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub cause: usize,
    pub clause: Range<usize>,
}

/// A match in a clause: the cause, where, and how many characters it covers.
struct Match {
    cause: usize,
    span: Range<usize>,
    weight: usize,
}

/// Reads reasons with the catalogue's patterns and settings.
#[derive(Debug, Clone)]
pub struct Reader {
    negations: Vec<Pattern>,
    negation_exceptions: Vec<Pattern>,
    max_gap: usize,
    causes: Vec<CausePatterns>,
    /// The patterns by their first character, as (cause, pattern): a clause is read once,
    /// looking up only the patterns that can start at each character.
    by_first: HashMap<char, Vec<(usize, usize)>, FixedHasher>,
    /// Tells this reader's reads apart from another's in [`RECENT`] (a clone reads alike and
    /// shares it).
    id: u64,
}

/// How many reads each thread remembers.
const RECENT_READS: usize = 8;

/// One remembered read: the reader's id, the reason, what it names.
type Read = (u64, Box<str>, Vec<Named>);

thread_local! {
    /// The reasons this thread read last, newest first, with the reader that read them and
    /// what they name. Every deviation finding of a project reads the project's (or an
    /// indicator's) reason for its cause, so the same few texts come back several times in a
    /// row; reading one costs tens of thousands of instructions, finding it here a comparison.
    static RECENT: RefCell<VecDeque<Read>> =
        const { RefCell::new(VecDeque::new()) };
}

/// The next reader's [`Reader::id`].
static READERS: AtomicU64 = AtomicU64::new(0);

/// A hasher with fixed keys: the keys are the catalogue's own characters, and a fixed hash
/// makes a run cost the same instructions every time (BENCHMARKS.md counts them).
type FixedHasher = BuildHasherDefault<DefaultHasher>;

impl Reader {
    pub fn new(
        negations: Vec<Pattern>,
        negation_exceptions: Vec<Pattern>,
        max_gap: usize,
        causes: Vec<CausePatterns>,
    ) -> Reader {
        let mut by_first: HashMap<char, Vec<(usize, usize)>, FixedHasher> = HashMap::default();
        for (cause, patterns) in causes.iter().enumerate() {
            for (index, pattern) in patterns.patterns.iter().enumerate() {
                if let Some(first) = pattern.first() {
                    by_first.entry(first).or_default().push((cause, index));
                }
            }
        }
        Reader {
            negations,
            negation_exceptions,
            max_gap,
            causes,
            by_first,
            id: READERS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The causes `reason` names (as indices of the causes given to [`Reader::new`]), in the
    /// order it names them.
    pub fn read(&self, reason: &str) -> Vec<Named> {
        let remembered = RECENT.with_borrow(|recent| {
            recent
                .iter()
                .find(|(id, text, _)| *id == self.id && **text == *reason)
                .map(|(_, _, named)| named.clone())
        });
        if let Some(named) = remembered {
            return named;
        }
        let named = self.read_anew(reason);
        RECENT.with_borrow_mut(|recent| {
            recent.truncate(RECENT_READS - 1);
            recent.push_front((self.id, reason.into(), named.clone()));
        });
        named
    }

    fn read_anew(&self, reason: &str) -> Vec<Named> {
        let chars: Vec<char> = simplified(reason).chars().collect();
        let offsets: Vec<usize> = reason
            .char_indices()
            .map(|(at, _)| at)
            .chain([reason.len()])
            .collect();
        let byte = |at: usize| offsets.get(at).copied().unwrap_or(reason.len());
        let mut named: Vec<Named> = Vec::new();
        for clause in clauses(&chars) {
            let text = chars.get(clause.clone()).unwrap_or_default();
            for found in self.counted(text) {
                if !named.iter().any(|n| n.cause == found.cause) {
                    named.push(Named {
                        cause: found.cause,
                        clause: byte(clause.start)..byte(clause.end),
                    });
                }
            }
        }
        named
    }

    /// Every match of a pattern in the clause.
    fn matches(&self, clause: &[char]) -> Vec<Match> {
        let mut found = Vec::new();
        for (start, c) in clause.iter().enumerate() {
            for &(cause, index) in self.by_first.get(c).into_iter().flatten() {
                let Some(pattern) = self.causes.get(cause).and_then(|p| p.patterns.get(index))
                else {
                    continue;
                };
                if let Some(span) = pattern.at(clause, start, self.max_gap) {
                    found.push(Match {
                        cause,
                        span,
                        weight: pattern.weight(),
                    });
                }
            }
        }
        found
    }

    /// The matches of one clause that count, in the order they occur.
    fn counted(&self, clause: &[char]) -> Vec<Match> {
        let mut found = self.matches(clause);
        let mut present: Vec<usize> = found.iter().map(|m| m.cause).collect();
        present.sort_unstable();
        present.dedup();
        let excluded: Vec<usize> = present
            .into_iter()
            .filter(|cause| {
                self.causes.get(*cause).is_some_and(|c| {
                    c.excluded_by.iter().any(|p| {
                        (0..clause.len()).any(|at| p.at(clause, at, self.max_gap).is_some())
                    })
                })
            })
            .collect();
        found.retain(|m| !excluded.contains(&m.cause));
        // The longest match keeps its place against other causes' matches it overlaps: each
        // character is owned by the first cause a kept match gives it to.
        found.sort_by_key(|m| (Reverse(m.weight), m.span.start, m.cause));
        let mut owner: Vec<Option<usize>> = vec![None; clause.len()];
        let mut kept: Vec<Match> = Vec::new();
        for candidate in found {
            let places = owner.get(candidate.span.clone()).unwrap_or_default();
            if places
                .iter()
                .all(|o| o.is_none_or(|c| c == candidate.cause))
            {
                for place in owner.get_mut(candidate.span.clone()).unwrap_or_default() {
                    *place = Some(candidate.cause);
                }
                kept.push(candidate);
            }
        }
        kept.sort_by_key(|m| (m.span.start, m.span.end, m.cause));
        let negation_ends = self.negation_ends(clause, &owner);
        let mut reach: Option<usize> = None;
        kept.into_iter()
            .filter(|m| {
                let start = m.span.start;
                // The last negation ending at or before the match.
                let before = negation_ends.partition_point(|&end| end <= start);
                let negated = before
                    .checked_sub(1)
                    .and_then(|i| negation_ends.get(i))
                    .is_some_and(|&end| start - end <= self.max_gap)
                    || reach.is_some_and(|r| start <= r);
                if negated {
                    reach = Some(reach.unwrap_or(0).max(m.span.end + self.max_gap));
                }
                !negated
            })
            .collect()
    }

    /// Where each negation of the clause ends, in order, leaving out those inside an
    /// exception word or a matched pattern (the characters `owner` gives to a cause).
    fn negation_ends(&self, clause: &[char], owner: &[Option<usize>]) -> Vec<usize> {
        let mut excepted = vec![false; clause.len()];
        for span in self
            .negation_exceptions
            .iter()
            .flat_map(|p| p.occurrences(clause, self.max_gap))
        {
            for place in excepted.get_mut(span).unwrap_or_default() {
                *place = true;
            }
        }
        let mut ends: Vec<usize> = self
            .negations
            .iter()
            .flat_map(|p| p.occurrences(clause, self.max_gap))
            .filter(|span| {
                let all = |marks: Option<&[bool]>| marks.is_some_and(|m| m.iter().all(|x| *x));
                let claimed: Option<Vec<bool>> = owner
                    .get(span.clone())
                    .map(|o| o.iter().map(Option::is_some).collect());
                !all(excepted.get(span.clone())) && !all(claimed.as_deref())
            })
            .map(|span| span.end)
            .collect();
        ends.sort_unstable();
        ends
    }
}

/// The clauses of a text, as ranges of its characters, blank ones left out.
fn clauses(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in chars.iter().enumerate() {
        if CLAUSE_ENDS.contains(c) {
            out.push(start..at);
            start = at + 1;
        }
    }
    out.push(start..chars.len());
    out.retain(|r| {
        chars
            .get(r.clone())
            .is_some_and(|c| c.iter().any(|c| !c.is_whitespace()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(texts: &[&str]) -> Vec<Pattern> {
        texts.iter().map(|t| Pattern::parse(t).unwrap()).collect()
    }

    /// A reader of causes 0..n with these patterns and exclusions.
    fn reader(causes: &[(&[&str], &[&str])]) -> Reader {
        Reader::new(
            patterns(&["未发生", "不存在", "无", "没有"]),
            patterns(&["无法"]),
            4,
            causes
                .iter()
                .map(|(p, x)| CausePatterns {
                    patterns: patterns(p),
                    excluded_by: patterns(x),
                })
                .collect(),
        )
    }

    #[test]
    fn a_remembered_read_answers_only_for_the_reader_that_made_it() {
        let policy = reader(&[(&["政策调整"], &[]), (&["推迟"], &[])]);
        let delay = reader(&[(&["推迟"], &[]), (&["政策调整"], &[])]);
        let reason = "因政策调整，项目推迟";
        let first = policy.read(reason);
        assert_eq!(first.iter().map(|n| n.cause).collect::<Vec<_>>(), [0, 1]);
        // The same text, read again by the same reader and then by another whose causes are
        // numbered the other way round: each gets its own reading.
        assert_eq!(policy.read(reason), first);
        assert_eq!(
            delay
                .read(reason)
                .iter()
                .map(|n| n.cause)
                .collect::<Vec<_>>(),
            [1, 0]
        );
        assert_eq!(policy.clone().read(reason), first);
        // More texts than a thread remembers, then the first again: read anew, alike.
        for i in 0..RECENT_READS {
            policy.read(&format!("第{i}项政策调整"));
        }
        assert_eq!(policy.read(reason), first);
    }

    /// The indices of the causes `reason` names.
    fn named(causes: &[(&[&str], &[&str])], reason: &str) -> Vec<usize> {
        reader(causes)
            .read(reason)
            .into_iter()
            .map(|n| n.cause)
            .collect()
    }

    #[test]
    fn a_wildcard_spans_a_few_characters_of_the_same_clause_only() {
        let causes: &[(&[&str], &[&str])] = &[(&["资金*晚"], &[])];
        assert_eq!(named(causes, "资金晚"), [0]);
        assert_eq!(named(causes, "资金下达较晚"), [0]);
        assert_eq!(named(causes, "资金到位时较晚"), [0], "a gap of 4");
        assert_eq!(
            named(causes, "资金到位时间较晚"),
            [] as [usize; 0],
            "a gap of 5"
        );
        assert_eq!(named(causes, "资金已下达，验收晚"), [] as [usize; 0]);
    }

    #[test]
    fn a_pattern_is_a_phrase_not_a_word_anywhere() {
        let causes: &[(&[&str], &[&str])] = &[(&["人数减少", "离世"], &[])];
        assert_eq!(named(causes, "会议和培训次数减少"), [] as [usize; 0]);
        assert_eq!(named(causes, "发放人数减少"), [0]);
    }

    #[test]
    fn the_longer_of_two_overlapping_patterns_keeps_the_place() {
        let causes: &[(&[&str], &[&str])] = &[(&["调整"], &[]), (&["政策调整"], &[])];
        assert_eq!(named(causes, "国家政策调整"), [1]);
        assert_eq!(named(causes, "国家政策调整，预算调整"), [1, 0]);
    }

    #[test]
    fn negations_rule_out_what_follows_them_closely() {
        let causes: &[(&[&str], &[&str])] = &[(&["政策调整"], &[]), (&["推迟"], &[])];
        assert_eq!(named(causes, "未发生政策调整"), [] as [usize; 0]);
        assert_eq!(named(causes, "未发生任何政策调整"), [] as [usize; 0]);
        assert_eq!(named(causes, "未发生政策调整，项目推迟"), [1]);
        assert_eq!(
            named(causes, "不存在政策调整、推迟等情况"),
            [] as [usize; 0],
            "a negation carries over a list"
        );
        assert_eq!(
            named(causes, "没有发生明显的变化，但项目推迟"),
            [1],
            "too far from the negation"
        );
    }

    #[test]
    fn an_exception_word_or_a_pattern_holding_a_negation_does_not_negate() {
        let causes: &[(&[&str], &[&str])] = &[(&["推迟"], &[]), (&["没有按期"], &[])];
        assert_eq!(named(causes, "无法推迟"), [0]);
        assert_eq!(named(causes, "没有按期推迟"), [1, 0]);
    }

    #[test]
    fn an_excluding_pattern_rules_its_cause_out_of_the_clause() {
        let causes: &[(&[&str], &[&str])] = &[(&["结算"], &["已结算"])];
        assert_eq!(named(causes, "项目已结算完毕"), [] as [usize; 0]);
        assert_eq!(named(causes, "部分已结算，其余跨年结算"), [0]);
    }

    #[test]
    fn causes_rank_in_the_order_the_reason_names_them() {
        let causes: &[(&[&str], &[&str])] = &[(&["推迟"], &[]), (&["招标节约", "节约资金"], &[])];
        assert_eq!(named(causes, "项目推迟，招标节约资金"), [0, 1]);
        assert_eq!(named(causes, "招标节约资金导致项目推迟"), [1, 0]);
        assert_eq!(
            named(causes, "推迟，节约资金，又推迟"),
            [0, 1],
            "each cause once"
        );
    }

    #[test]
    fn traditional_characters_read_as_simplified_and_the_clause_is_quoted_as_written() {
        let causes: &[(&[&str], &[&str])] = &[(&["资金*晚"], &[]), (&["跨年度结算"], &[])];
        assert_eq!(named(causes, "上級資金下達較晚"), [0]);
        let reason = "工程已完工，尾款需跨年度結算。";
        let found = reader(causes).read(reason);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].cause, 1);
        assert_eq!(&reason[found[0].clause.clone()], "尾款需跨年度結算");
    }

    #[test]
    fn a_long_hostile_reason_is_read_in_linear_time() {
        // One clause of 200,000 characters, full of matches, negations and exceptions.
        let causes: &[(&[&str], &[&str])] = &[(&["延期"], &[]), (&["推迟*调整"], &["已结算"])];
        let reason = "无延期推迟无法调整。没有".repeat(20_000).replace('。', "");
        assert_eq!(
            named(causes, &reason),
            [] as [usize; 0],
            "each negated or chained"
        );
        let reason = "延期，推迟无法调整，没有延期".repeat(20_000);
        assert_eq!(named(causes, &reason), [0, 1]);
    }

    #[test]
    fn a_pattern_with_a_loose_star_is_refused() {
        for bad in ["", " ", "*资金", "资金*", "资金**晚"] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Pattern::parse("資金*晚").is_ok());
    }
}
