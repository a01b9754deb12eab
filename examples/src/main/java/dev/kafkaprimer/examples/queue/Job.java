package dev.kafkaprimer.examples.queue;

/**
 * One unit of work in the queue, as JSON: {@code {"id":17}}. Jobs are independent of each other: no job needs
 * another done first, which is what makes them fit a share group, where nothing is in order.
 *
 * @param id the job's number, unique in a run
 */
public record Job(int id) {
}
