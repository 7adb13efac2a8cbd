package io.lakeann.spark.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A SQL file split into statements: separated by {@code ;}, with {@code --} line comments and
 * {@code /* ... *}{@code /} block comments dropped, and semicolons inside quoted text
 * ({@code '...'}, {@code "..."}, {@code `...`}, doubled quotes and backslash escapes included)
 * or inside comments kept where they are. Stateless.
 */
public final class SqlScript {
  private SqlScript() {}

  /**
   * The statements of {@code text}, trimmed, empty ones (only whitespace or comments) left out.
   *
   * @throws UsageException naming the line where a quote or block comment is never closed
   */
  public static List<String> split(String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int start = line;
        int end = i + 1;
        while (true) {
          if (end >= text.length()) {
            throw new UsageException("the %s opened on line %d is never closed", c == '`'
                ? "backquote" : "quote " + c, start);
          }
          char d = text.charAt(end);
          if (d == '\n') {
            line++;
          }
          if (d == '\\' && c != '`' && end + 1 < text.length()) {
            end += 2;
            continue;
          }
          if (d == c) {
            if (end + 1 < text.length() && text.charAt(end + 1) == c) {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        current.append(text, i, end + 1);
        i = end + 1;
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
      } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          throw new UsageException("the comment /* opened on line %d is never closed", line);
        }
        for (int j = i; j < end; j++) {
          if (text.charAt(j) == '\n') {
            line++;
          }
        }
        current.append(' ');
        i = end + 2;
      } else if (c == ';') {
        add(statements, current);
        i++;
      } else {
        if (c == '\n') {
          line++;
        }
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
