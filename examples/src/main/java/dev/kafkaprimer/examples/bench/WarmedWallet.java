package dev.kafkaprimer.examples.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.examples.cli.SmallMachines;

/**
 * The main of the bench's wallet JVMs: {@code WarmedWallet WARM_UP_TOPIC WARM_UP_DB wallet ARGS…} runs the
 * same wallet twice in this one JVM, first untimed on its own topic and database (the warm-up), then as given,
 * printing that run's output. The first run of a JVM pays for the JIT compiler: on two cores its threads took
 * nearly a third of the CPU of a 100,000-event run, which the bare loop behind the notifier's bound, timed on
 * its own second pass, does not pay. Timing the second run compares like with like, and is what a consumer
 * that runs all day does.
 *
 * <p>Prints {@code warm-up: wallet: OK …} (the first run's summary line), then the second run's output; exits
 * with the second run's exit code, or with the first's if that failed (its output's last lines printed then).
 */
public final class WarmedWallet {

    private static final Pattern SUMMARY = Pattern.compile("(?m)^wallet: OK .*$");

    private WarmedWallet() {
    }

    public static void main(String[] args) {
        SmallMachines.apply();
        if (args.length < 3 || !args[2].equals("wallet")) {
            System.err.println("usage: WarmedWallet WARM_UP_TOPIC WARM_UP_DB wallet ARGS…");
            System.exit(2);
        }
        List<String> timed = Arrays.asList(args).subList(2, args.length);
        int code = warmUp(warmUpArgs(timed, args[0], args[1]));
        if (code == 0) {
            code = Primer.run(timed.toArray(String[]::new), System.getenv(), System.out, System.err);
        }
        System.out.flush();
        System.exit(code);
    }

    /** The timed run's arguments with its topic and database replaced by the warm-up's. */
    static List<String> warmUpArgs(List<String> timed, String topic, String db) {
        List<String> warm = new ArrayList<>(timed);
        replaceValue(warm, "--topic", topic);
        replaceValue(warm, "--db", db);
        return warm;
    }

    private static void replaceValue(List<String> args, String option, String value) {
        int at = args.indexOf(option);
        if (at < 0 || at + 1 >= args.size()) {
            throw new IllegalArgumentException("the wallet's arguments must give " + option + ", were " + args);
        }
        args.set(at + 1, value);
    }

    /** The warm-up run, its output kept here: only its summary line is printed, or its tail if it failed. */
    private static int warmUp(List<String> args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int code = Primer.run(args.toArray(String[]::new), System.getenv(), out, out);
        String text = printed.toString(StandardCharsets.UTF_8);
        Matcher summary = SUMMARY.matcher(text);
        if (code == 0 && summary.find()) {
            System.out.println("warm-up: " + summary.group());
            return 0;
        }
        System.out.println("warm-up run failed (exit " + code + "):");
        System.out.println(text.substring(Math.max(0, text.length() - 2_000)));
        return code == 0 ? 1 : code;
    }
}
