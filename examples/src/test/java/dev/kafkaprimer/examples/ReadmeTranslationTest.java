package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Korean README says what the English one says, in the same shape: the same headings at the same levels in
 * the same order, the same tables with the same number of rows and the same commands in their first column, and
 * the same code blocks, comments aside (those are translated).
 */
class ReadmeTranslationTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
    /** A comment in a code block: {@code # …} or {@code // …} starting a line or after a space. */
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)(#|//)\\s.*$");

    @Test
    void shouldHaveTheSameHeadingLevelsInTheSameOrder() throws IOException {
        List<String> english = headingLevels(read("README.md"));
        List<String> korean = headingLevels(read("README.ko.md"));
        assertTrue(english.size() > 20, "headings found: " + english.size());
        assertEquals(english, korean, "heading levels, in order (## is a section, ### a subsection)");
    }

    @Test
    void shouldHaveTheSameTablesRowForRow() throws IOException {
        List<List<String>> english = tables(read("README.md"));
        List<List<String>> korean = tables(read("README.ko.md"));
        assertEquals(english.size(), korean.size(), "tables");
        for (int i = 0; i < english.size(); i++) {
            assertEquals(english.get(i).size(), korean.get(i).size(), "rows of table " + (i + 1) + ", which starts "
                    + english.get(i).get(0));
            for (int row = 0; row < english.get(i).size(); row++) {
                assertEquals(codeIn(english.get(i).get(row)), codeIn(korean.get(i).get(row)),
                        "the code in row " + (row + 1) + " of table " + (i + 1) + ": " + english.get(i).get(row));
            }
        }
    }

    @Test
    void shouldShowTheSameCodeBlocksWithTheirCommentsTranslated() throws IOException {
        List<String> english = codeBlocks(read("README.md"));
        List<String> korean = codeBlocks(read("README.ko.md"));
        assertTrue(english.size() > 15, "code blocks found: " + english.size());
        assertEquals(english, korean, "code blocks, comments removed");
    }

    private static String read(String readme) throws IOException {
        // Code blocks first out of the way, so that a "# comment" line inside one is not taken for a heading
        return Files.readString(ROOT.resolve(readme));
    }

    private static List<String> headingLevels(String text) {
        List<String> levels = new ArrayList<>();
        for (String line : withoutCodeBlocks(text).lines().toList()) {
            Matcher heading = Pattern.compile("^(#{1,6}) ").matcher(line);
            if (heading.find()) {
                levels.add(heading.group(1));
            }
        }
        return levels;
    }

    /** Each table as its rows (the header and separator included), in order. */
    private static List<List<String>> tables(String text) {
        List<List<String>> tables = new ArrayList<>();
        List<String> current = null;
        for (String line : withoutCodeBlocks(text).lines().toList()) {
            if (line.startsWith("|")) {
                if (current == null) {
                    current = new ArrayList<>();
                    tables.add(current);
                }
                current.add(line);
            } else {
                current = null;
            }
        }
        return tables;
    }

    /** The first column's inline code of a row ({@code `./primer keys`}, a class name): not translated. */
    private static List<String> codeIn(String row) {
        String first = row.split("\\|", -1)[1];
        List<String> code = new ArrayList<>();
        Matcher inline = Pattern.compile("`([^`]+)`").matcher(first);
        while (inline.find()) {
            code.add(inline.group(1));
        }
        return code;
    }

    private static List<String> codeBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher fence = FENCE.matcher(text);
        while (fence.find()) {
            StringBuilder block = new StringBuilder(fence.group(1)).append(':');
            for (String line : fence.group(2).lines().toList()) {
                String code = COMMENT.matcher(line).replaceAll("").strip();
                if (!code.isEmpty()) {
                    block.append('\n').append(code);
                }
            }
            blocks.add(block.toString());
        }
        return blocks;
    }

    private static String withoutCodeBlocks(String text) {
        return FENCE.matcher(text).replaceAll("");
    }
}
