"""The word-level text diff legal reads: as readers see the text, grouped by section."""

from generator.textdiff import as_markdown, as_text, hunks

OLD = """# Notice {#top}

## Recipients {#recipients}

| Recipient | Where |
|---|---|
| Microsoft Ireland Operations Ltd | Ireland |

- **Microsoft** (United States): Adequacy decision

## Retention {#retention}

We keep data for **3 years**.
"""


def test_changed_word_is_marked_under_its_section_heading():
    new = OLD.replace("3 years", "5 years")
    [hunk] = hunks(OLD, new)
    assert hunk.heading == "Retention"
    assert as_text([hunk]) == "## Retention\n  We keep data for [-3-] {+5+} years."


def test_table_rows_read_as_text_and_added_list_items_have_no_markdown_inside_the_marks():
    new = OLD.replace("| Microsoft Ireland Operations Ltd | Ireland |", "| Microsoft Ireland Operations Ltd | Ireland |\n| Intuit Mailchimp | United States |")
    new = new.replace("- **Microsoft** (United States): Adequacy decision", "- **Microsoft** (United States): Adequacy decision\n- **Intuit Mailchimp** (United States): Standard contractual clauses")
    found = hunks(OLD, new)
    assert [h.heading for h in found] == ["Recipients"]  # both changes in one block
    md = as_markdown(found)
    assert "<ins>Intuit Mailchimp · United States</ins>" in md
    assert "<ins>• Intuit Mailchimp (United States): Standard contractual clauses</ins>" in md
    assert "- " not in md.replace("> ", "")


def test_identical_texts_have_no_hunks():
    assert hunks(OLD, OLD) == []


def test_a_rewritten_paragraph_is_shown_whole_instead_of_as_a_mix_of_two_texts():
    old_text = "If you would like a copy of the safeguards we use for the transfers, write to us at the address below."
    new_text = "Standard contractual clauses: we have an agreement with the recipient on the terms the Commission adopted, and you can write to us for a copy."
    [hunk] = hunks(OLD.replace("We keep data for **3 years**.", old_text), OLD.replace("We keep data for **3 years**.", new_text))
    assert hunk.lines == ((("-", old_text),), (("+", new_text),))
    assert as_markdown([hunk]) == f"**Retention**\n\n> <del>{old_text}</del>\n\n> <ins>{new_text}</ins>"


def test_a_swapped_name_stays_a_word_diff():
    new = OLD.replace("- **Microsoft** (United States): Adequacy decision", "- **Intuit Mailchimp Inc** (United States): Adequacy decision")
    [hunk] = hunks(OLD, new)
    assert hunk.lines == ((("=", "•"), ("-", "Microsoft"), ("+", "Intuit Mailchimp Inc"), ("=", "(United States): Adequacy decision")),)


def test_a_small_edit_stays_a_word_diff():
    new = OLD.replace("We keep data for **3 years**.", "We keep your data for **3 years**.")
    [hunk] = hunks(OLD, new)
    assert hunk.lines == ((("=", "We keep"), ("+", "your"), ("=", "data for 3 years.")),)
