package dev.kiln.worker.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.extraction.page.ArticleContent;
import dev.kiln.worker.extraction.page.ArticleContent.Block;
import dev.kiln.worker.extraction.page.ArticleContent.Kind;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArticleMarkdownTest {

  @Test
  void frontMatterQuotesTitlesWithColonsAndQuotes() {
    ArticleContent article =
        new ArticleContent(
            "Bread: the \"real\" story \\ part 2",
            "Jane Doe",
            "2024-03-05",
            List.of(new Block(Kind.PARAGRAPH, 0, "Flour, water and salt.")));

    String markdown = ArticleMarkdown.render(article, URI.create("https://crumb.example/a?b=1"));

    assertThat(markdown)
        .startsWith(
            """
            ---
            title: "Bread: the \\"real\\" story \\\\ part 2"
            source_url: "https://crumb.example/a?b=1"
            author: "Jane Doe"
            date: "2024-03-05"
            word_count: 4
            section_count: 0
            ---
            """);
  }

  @Test
  void unknownAuthorAndDateAreLeftOut() {
    ArticleContent article =
        new ArticleContent("Notes", null, null, List.of(new Block(Kind.PARAGRAPH, 0, "One two.")));

    String markdown = ArticleMarkdown.render(article, null);

    assertThat(markdown).doesNotContain("author:", "date:", "source_url:");
    assertThat(markdown).contains("title: \"Notes\"\n", "word_count: 2\n");
  }

  @Test
  void controlCharactersAreEscapedInFrontMatter() {
    assertThat(ArticleMarkdown.yamlString("a\nb\tc\u0007")).isEqualTo("\"a\\nb\\tc\\u0007\"");
  }

  @Test
  void bodyRendersHeadingsParagraphsListsAndQuotes() {
    ArticleContent article =
        new ArticleContent(
            "Title",
            null,
            null,
            List.of(
                new Block(Kind.PARAGRAPH, 0, "Intro with *stars* and [brackets]."),
                new Block(Kind.HEADING, 2, "Section"),
                new Block(Kind.LIST_ITEM, 0, "first"),
                new Block(Kind.LIST_ITEM, 1, "nested"),
                new Block(Kind.ORDERED_ITEM, 0, "step"),
                new Block(Kind.QUOTE, 0, "Said someone."),
                new Block(Kind.PARAGRAPH, 0, "# not a heading")));

    String body = ArticleMarkdown.render(article, null).split("---\n", 3)[2];

    assertThat(body)
        .isEqualTo(
            """

            # Title

            Intro with \\*stars\\* and \\[brackets\\].

            ## Section

            - first
              - nested
            1. step

            > Said someone.

            \\# not a heading
            """);
    assertThat(ArticleMarkdown.render(article, null)).contains("section_count: 1\n");
  }
}
