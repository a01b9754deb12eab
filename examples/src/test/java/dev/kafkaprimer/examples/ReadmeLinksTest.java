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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The READMEs' links to files of this repository point at files that exist; the concept map has ten rows. */
class ReadmeLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "README.ko.md"})
    void shouldLinkOnlyToFilesThatExist(String readme) throws IOException {
        String text = Files.readString(ROOT.resolve(readme));
        List<String> missing = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        int checked = 0;
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http://") || target.startsWith("https://")) {
                continue;
            }
            checked++;
            if (!Files.exists(ROOT.resolve(target))) {
                missing.add(target);
            }
        }
        assertEquals(List.of(), missing, readme + " links to files that do not exist");
        assertTrue(checked > 20, readme + " has its links (found " + checked + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "README.ko.md"})
    void shouldMapAllTenConceptsOfTheNote(String readme) throws IOException {
        String text = Files.readString(ROOT.resolve(readme));
        for (String concept : List.of("Cluster", "Producer", "Consumer", "Offset", "Broker", "Topic", "Partition",
                "Segment", "Controller", "Coordinator")) {
            assertTrue(Pattern.compile("(?m)^\\| \\*\\*" + concept + "\\*\\*").matcher(text).find(),
                    readme + ": a concept-map row for " + concept);
        }
    }
}
