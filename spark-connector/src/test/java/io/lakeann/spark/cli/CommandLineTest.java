package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing the command line, without Spark. */
class CommandLineTest {

  @Test
  void optionsAndFlagsMayComeBeforeOrAfterTheSubcommand() {
    CommandLine line = CommandLine.parse(new String[] {"--warehouse", "wh", "--table", "lake.t",
        "build", "--conf", "spark.a=b=c", "--column=vec", "--verbose", "--id", "-1"});
    assertEquals("build", line.subcommand());
    assertEquals("wh", line.warehouse());
    assertEquals(Map.of("spark.a", "b=c"), line.conf());
    assertTrue(line.verbose());
    assertEquals(List.of("--table", "lake.t", "--column=vec", "--id", "-1"), line.rest());
    Flags flags = Flags.parse("build", line.rest(), BuildCommand.FLAGS);
    assertEquals("lake.t", flags.required("table", "t"));
    assertEquals("vec", flags.required("column", "c"));
    assertEquals("-1", flags.optional("id"));
  }

  @Test
  void malformedOptionsAreUsageErrorsNamingTheOption() {
    assertMessage(new String[] {"--conf", "novalue", "sql", "x"}, "--conf 'novalue'");
    assertMessage(new String[] {"sql", "x", "--master"}, "--master needs a value");
    assertMessage(new String[] {"--warehouse", "a", "--warehouse", "b", "sql", "x"},
        "--warehouse is given twice");
    UsageException repeated = assertThrows(UsageException.class, () -> Flags.parse("join",
        List.of("--k", "1", "--k", "2"), JoinCommand.FLAGS));
    assertTrue(repeated.getMessage().contains("--k is given twice"), repeated.getMessage());
    UsageException noValue = assertThrows(UsageException.class, () -> Flags.parse("join",
        List.of("--k", "--table", "t"), JoinCommand.FLAGS));
    assertTrue(noValue.getMessage().contains("--k needs a value"), noValue.getMessage());
  }

  private static void assertMessage(String[] args, String expected) {
    UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
