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

use std::cmp::Reverse;
use std::ops::Range;

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

/// Where a pattern occurs in a clause: the characters from its first piece to its last, and
/// those its pieces cover (a gap is not covered).
#[derive(Debug, Clone)]
struct Occurrence {
    span: Range<usize>,
    covered: Vec<usize>,
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

    fn occurs_in(&self, clause: &[char], max_gap: usize) -> bool {
        (0..clause.len()).any(|start| self.at(clause, start, max_gap).is_some())
    }

    fn occurrences(&self, clause: &[char], max_gap: usize) -> Vec<Occurrence> {
        (0..clause.len())
            .filter_map(|start| self.at(clause, start, max_gap))
            .collect()
    }

    /// The occurrence whose first piece starts at `start`, its later pieces each as early as
    /// they can be while the rest still fits.
    fn at(&self, clause: &[char], start: usize, max_gap: usize) -> Option<Occurrence> {
        let mut covered = Vec::new();
        let end = self.place(clause, 0, start, start, max_gap, &mut covered)?;
        Some(Occurrence {
            span: start..end,
            covered,
        })
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
        covered: &mut Vec<usize>,
    ) -> Option<usize> {
        let Some(piece) = self.pieces.get(index) else {
            return Some(from);
        };
        for at in from..=latest {
            let end = at + piece.len();
            if clause.get(at..end) != Some(piece.as_slice()) {
                continue;
            }
            let mark = covered.len();
            covered.extend(at..end);
            if let Some(last) = self.place(clause, index + 1, end, end + max_gap, max_gap, covered)
            {
                return Some(last);
            }
            covered.truncate(mark);
        }
        None
    }
}

/// One cause's patterns, as the catalogue holds them.
pub struct CausePatterns<'a> {
    pub patterns: &'a [Pattern],
    pub excluded_by: &'a [Pattern],
}

/// The settings that apply to every cause.
#[derive(Debug, Clone)]
pub struct Reader {
    pub negations: Vec<Pattern>,
    pub negation_exceptions: Vec<Pattern>,
    pub max_gap: usize,
}

/// A cause a reason names: its index in the catalogue, and the clause that names it first (a
/// byte range of the reason as written).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub cause: usize,
    pub clause: Range<usize>,
}

impl Reader {
    /// The causes `reason` names, in the order it names them.
    pub fn read(&self, reason: &str, causes: &[CausePatterns]) -> Vec<Named> {
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
            for (cause, _) in self.counted(text, causes) {
                if !named.iter().any(|n| n.cause == cause) {
                    named.push(Named {
                        cause,
                        clause: byte(clause.start)..byte(clause.end),
                    });
                }
            }
        }
        named
    }

    /// The matches of one clause that count, by cause, in the order they occur.
    fn counted(&self, clause: &[char], causes: &[CausePatterns]) -> Vec<(usize, Occurrence)> {
        let mut found: Vec<(usize, Occurrence)> = Vec::new();
        for (index, cause) in causes.iter().enumerate() {
            if cause
                .excluded_by
                .iter()
                .any(|p| p.occurs_in(clause, self.max_gap))
            {
                continue;
            }
            for pattern in cause.patterns {
                found.extend(
                    pattern
                        .occurrences(clause, self.max_gap)
                        .into_iter()
                        .map(|o| (index, o)),
                );
            }
        }
        // The longest match keeps its place against other causes' matches it overlaps.
        found.sort_by_key(|(cause, o)| (Reverse(o.covered.len()), o.span.start, *cause));
        let mut kept: Vec<(usize, Occurrence)> = Vec::new();
        for (cause, occurrence) in found {
            let clear = kept.iter().all(|(other, o)| {
                *other == cause
                    || o.span.end <= occurrence.span.start
                    || occurrence.span.end <= o.span.start
            });
            if clear {
                kept.push((cause, occurrence));
            }
        }
        kept.sort_by_key(|(cause, o)| (o.span.start, o.span.end, *cause));
        let negation_ends = self.negation_ends(clause, &kept);
        let mut reach: Option<usize> = None;
        kept.into_iter()
            .filter(|(_, o)| {
                let start = o.span.start;
                let negated = negation_ends
                    .iter()
                    .any(|&end| end <= start && start - end <= self.max_gap)
                    || reach.is_some_and(|r| start <= r);
                if negated {
                    reach = Some(reach.unwrap_or(0).max(o.span.end + self.max_gap));
                }
                !negated
            })
            .collect()
    }

    /// Where each negation of the clause ends, leaving out those inside an exception word
    /// or a matched pattern.
    fn negation_ends(&self, clause: &[char], kept: &[(usize, Occurrence)]) -> Vec<usize> {
        let exceptions: Vec<Range<usize>> = self
            .negation_exceptions
            .iter()
            .flat_map(|p| p.occurrences(clause, self.max_gap))
            .map(|o| o.span)
            .collect();
        let inside = |span: &Range<usize>, outer: &Range<usize>| {
            outer.start <= span.start && span.end <= outer.end
        };
        self.negations
            .iter()
            .flat_map(|p| p.occurrences(clause, self.max_gap))
            .map(|o| o.span)
            .filter(|span| {
                !exceptions.iter().any(|e| inside(span, e))
                    && !kept.iter().any(|(_, o)| inside(span, &o.span))
            })
            .map(|span| span.end)
            .collect()
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

    fn reader() -> Reader {
        Reader {
            negations: patterns(&["未发生", "不存在", "无", "没有"]),
            negation_exceptions: patterns(&["无法"]),
            max_gap: 4,
        }
    }

    /// Causes 0..n with these patterns (and exclusions), and the indices `reason` names.
    fn named(causes: &[(&[&str], &[&str])], reason: &str) -> Vec<usize> {
        let owned: Vec<(Vec<Pattern>, Vec<Pattern>)> = causes
            .iter()
            .map(|(p, x)| (patterns(p), patterns(x)))
            .collect();
        let borrowed: Vec<CausePatterns> = owned
            .iter()
            .map(|(patterns, excluded_by)| CausePatterns {
                patterns,
                excluded_by,
            })
            .collect();
        reader()
            .read(reason, &borrowed)
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
        let owned = [patterns(&["跨年度结算"])];
        let causes = [CausePatterns {
            patterns: &owned[0],
            excluded_by: &[],
        }];
        let reason = "工程已完工，尾款需跨年度結算。";
        let found = reader().read(reason, &causes);
        assert_eq!(found.len(), 1);
        assert_eq!(&reason[found[0].clause.clone()], "尾款需跨年度結算");
    }

    #[test]
    fn a_pattern_with_a_loose_star_is_refused() {
        for bad in ["", " ", "*资金", "资金*", "资金**晚"] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Pattern::parse("資金*晚").is_ok());
    }
}
