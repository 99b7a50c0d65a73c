/**
 * Extraction core of the extraction job type: plain Java on jsoup and Jackson, no framework.
 *
 * <p>The pipeline's two stages call three classes:
 *
 * <ul>
 *   <li>{@link dev.kiln.worker.extraction.PageExtractor#extract(byte[], java.net.URI)} (extraction
 *       stage) reads a page into a {@link dev.kiln.worker.extraction.PageExtraction}: a raw recipe
 *       (strings as found) when the page has one, else the main article, and the method that found
 *       it.
 *   <li>{@link dev.kiln.worker.extraction.RecipeParser#parse} (parsing stage) turns the raw recipe
 *       into the {@code recipe.json} contract, {@link dev.kiln.model.extraction.RecipeDocument}.
 *   <li>{@link dev.kiln.worker.extraction.ArticleMarkdown#render} turns an article into Markdown
 *       with YAML front matter.
 * </ul>
 *
 * <p>Sources, in the order they are trusted: JSON-LD script blocks, microdata, RDFa, then headings
 * and class names on the page ({@code page.HeuristicRecipeReader}), then JSON-LD found outside
 * script blocks. The first source with ingredients or steps decides the method; the others only
 * fill fields it lacks. Without structured data a page needs both ingredients and steps to count as
 * a recipe. The ingredient list is then lined up with the list the page shows ({@code
 * page.VisibleIngredients}) for group titles and, where the page clearly says more, its wording.
 *
 * <p>{@code page} holds everything that looks at HTML; {@code parse} holds text-only parsing
 * (amounts, units, durations, yields, step splitting) and never sees a DOM. No code knows a
 * particular site: only schema.org, HTML semantics and words that recipes use in several languages.
 */
package dev.kiln.worker.extraction;
