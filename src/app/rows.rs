//! A cursor over rows of which only some are items (the others headings and notes), as on the
//! home view of a session and on the All servers tab: the cursor rests on items only, and
//! scrolling keeps a section's heading in view above its first item.

/// The cursor and first shown row of a view, with what its rows are.
pub struct ItemRows<'a, F: Fn(usize) -> bool> {
    pub cursor: &'a mut usize,
    pub top: &'a mut usize,
    /// How many rows there are.
    pub len: usize,
    /// Whether row `i` is an item (a place the cursor may rest).
    pub is_item: F,
}

impl<F: Fn(usize) -> bool> ItemRows<'_, F> {
    /// To the next item in a direction, `steps` times (staying put at either end).
    pub fn step(&mut self, forward: bool, steps: usize, height: usize) {
        for _ in 0..steps {
            let mut i = *self.cursor;
            loop {
                let next = if forward {
                    i.checked_add(1).filter(|n| *n < self.len)
                } else {
                    i.checked_sub(1)
                };
                match next {
                    Some(n) if (self.is_item)(n) => {
                        *self.cursor = n;
                        break;
                    }
                    Some(n) => i = n,
                    None => break,
                }
            }
        }
        self.scroll(height);
    }

    /// To the first item, the view at its top.
    pub fn first(&mut self, height: usize) {
        if let Some(i) = (0..self.len).find(|i| (self.is_item)(*i)) {
            *self.cursor = i;
        }
        *self.top = 0;
        self.scroll(height);
    }

    /// To the last item.
    pub fn last(&mut self, height: usize) {
        if let Some(i) = (0..self.len).rev().find(|i| (self.is_item)(*i)) {
            *self.cursor = i;
        }
        self.scroll(height);
    }

    /// Keeps the cursor in view in `height` rows, with its section's heading when it is the
    /// section's first item.
    pub fn scroll(&mut self, height: usize) {
        let height = height.max(1);
        let cursor = *self.cursor;
        let want_top = if cursor > 0 && !(self.is_item)(cursor - 1) {
            cursor - 1
        } else {
            cursor
        };
        if want_top < *self.top {
            *self.top = want_top;
        } else if cursor >= *self.top + height {
            *self.top = cursor + 1 - height;
        }
        *self.top = (*self.top).min(self.len.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows: heading, item, item, heading, note, item.
    fn items(i: usize) -> bool {
        matches!(i, 1 | 2 | 5)
    }

    #[test]
    fn the_cursor_rests_on_items_and_the_heading_stays_above_the_first() {
        let (mut cursor, mut top) = (1, 0);
        let mut rows = ItemRows {
            cursor: &mut cursor,
            top: &mut top,
            len: 6,
            is_item: items,
        };
        rows.step(true, 2, 3); // 1 -> 2 -> 5 (over the heading and the note)
        assert_eq!((*rows.cursor, *rows.top), (5, 3));
        rows.step(true, 1, 3); // nothing after the last item
        assert_eq!(*rows.cursor, 5);
        rows.step(false, 1, 3); // back to 2: its heading is row 0, two rows up
        assert_eq!((*rows.cursor, *rows.top), (2, 2));
        rows.first(3);
        assert_eq!((*rows.cursor, *rows.top), (1, 0), "the first heading shows");
        rows.last(2);
        assert_eq!((*rows.cursor, *rows.top), (5, 4));
    }
}
