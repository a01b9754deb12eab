package dev.kafkaprimer.examples.wallet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Makes a reproducible stream of wallet events (same seed, same events, same event ids).
 *
 * <p>DEDUCTs are drawn so that order matters: most take between half and all of what the user holds at
 * that point, so moved before the CHARGE that funded them they would be declined. A few (about 2%) ask for
 * more than the balance on purpose and are declined even in order, so the declined path is always used.
 */
public final class EventGenerator {

    private EventGenerator() {
    }

    public static List<WalletEvent> generate(int users, int events, long seed) {
        Random random = new Random(seed);
        Map<String, Long> balances = new HashMap<>();
        Map<String, Long> nextSeq = new HashMap<>();
        List<WalletEvent> generated = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String user = userId(random.nextInt(users));
            long balance = balances.getOrDefault(user, 0L);
            long seq = nextSeq.merge(user, 1L, Long::sum);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            WalletEvent event;
            if (balance > 0 && random.nextInt(100) < 2) {
                event = new WalletEvent(id.toString(), user, WalletEvent.Type.DEDUCT,
                        balance + 1 + random.nextInt(100), seq);
            } else if (balance > 1 && random.nextBoolean()) {
                long amount = balance / 2 + 1 + (long) (random.nextDouble() * (balance - balance / 2 - 1));
                event = new WalletEvent(id.toString(), user, WalletEvent.Type.DEDUCT, amount, seq);
                balances.put(user, balance - amount);
            } else {
                long amount = 100 + random.nextInt(9_900);
                event = new WalletEvent(id.toString(), user, WalletEvent.Type.CHARGE, amount, seq);
                balances.put(user, balance + amount);
            }
            generated.add(event);
        }
        return generated;
    }

    static String userId(int index) {
        return String.format("user-%03d", index);
    }
}
