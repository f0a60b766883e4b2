//! The five steps of submitting, their addresses, and which fields (and so which errors) each
//! owns. Plain functions, unit-tested: the page only draws them.

use yousu_core::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    What,
    Details,
    Where,
    Who,
    Review,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::What,
        Step::Details,
        Step::Where,
        Step::Who,
        Step::Review,
    ];

    /// The last segment of the step's address (`/submit/details`).
    pub fn slug(self) -> &'static str {
        match self {
            Step::What => "what",
            Step::Details => "details",
            Step::Where => "where",
            Step::Who => "who",
            Step::Review => "review",
        }
    }

    /// The step an address names; a missing or unknown one is the first.
    pub fn from_slug(slug: Option<&str>) -> Step {
        Step::ALL
            .into_iter()
            .find(|s| Some(s.slug()) == slug)
            .unwrap_or(Step::What)
    }

    /// 1 to 5.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.number().checked_sub(2).map(|i| Step::ALL[i])
    }

    /// The API fields this step asks for.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Step::What => &["category_id"],
            Step::Details => &["description", "photo_ids"],
            Step::Where => &["community_id", "address", "position"],
            Step::Who => &["contact_name", "contact_phone", "channel", "volunteer_name"],
            Step::Review => &[],
        }
    }

    /// The step that asks for a field; unknown fields are shown on the review.
    pub fn owning(field: &str) -> Step {
        Step::ALL
            .into_iter()
            .find(|s| s.fields().contains(&field))
            .unwrap_or(Step::Review)
    }
}

/// The errors a step shows: its own fields'.
pub fn errors_of(step: Step, errors: &[FieldError]) -> Vec<FieldError> {
    errors
        .iter()
        .filter(|e| Step::owning(&e.field) == step)
        .cloned()
        .collect()
}

/// Where to send the resident when the whole appeal fails a rule: the earliest step at fault.
pub fn first_step_with_error(errors: &[FieldError]) -> Option<Step> {
    errors
        .iter()
        .map(|e| Step::owning(&e.field))
        .min_by_key(|s| s.number())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str) -> FieldError {
        FieldError::new(field, "required", "", "")
    }

    #[test]
    fn steps_run_in_order_and_name_their_addresses() {
        assert_eq!(Step::What.next(), Some(Step::Details));
        assert_eq!(Step::Review.next(), None);
        assert_eq!(Step::What.previous(), None);
        assert_eq!(Step::Who.previous(), Some(Step::Where));
        assert_eq!(Step::from_slug(Some("where")), Step::Where);
        assert_eq!(Step::from_slug(Some("nonsense")), Step::What);
        assert_eq!(Step::from_slug(None), Step::What);
        assert_eq!(Step::Review.number(), 5);
        for step in Step::ALL {
            assert_eq!(Step::from_slug(Some(step.slug())), step);
        }
    }

    #[test]
    fn each_step_shows_only_its_own_errors() {
        let errors = [
            error("contact_phone"),
            error("category_id"),
            error("community_id"),
        ];
        let what = errors_of(Step::What, &errors);
        assert_eq!(what.len(), 1);
        assert_eq!(what[0].field, "category_id");
        assert!(errors_of(Step::Details, &errors).is_empty());
        assert_eq!(errors_of(Step::Who, &errors)[0].field, "contact_phone");
    }

    #[test]
    fn a_refused_appeal_returns_to_the_earliest_step_at_fault() {
        let errors = [error("contact_phone"), error("community_id")];
        assert_eq!(first_step_with_error(&errors), Some(Step::Where));
        assert_eq!(
            first_step_with_error(&[error("mystery")]),
            Some(Step::Review)
        );
        assert_eq!(first_step_with_error(&[]), None);
    }
}
