package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import org.junit.jupiter.api.Test;

class BookSyncTest {

    private final BookSync sync = new BookSync(2);

    @Test
    void changesReadBeforeTheFirstPictureAreSkippedThenChangesFollowThePicture() {
        assertThat(sync.accept(change(0, 5), false)).isNull();
        assertThat(sync.inSync(0)).isFalse();
        BookUpdate applied = sync.accept(picture(0, 6), true);
        assertThat(applied).isNotNull();
        assertThat(applied.replace()).isTrue();
        assertThat(applied.seq()).as("the gateway numbers its books itself").isZero();
        assertThat(sync.accept(change(0, 7), false)).isNotNull();
        assertThat(sync.accept(picture(0, 7), true)).as("the picture of the book already held").isNull();
        assertThat(sync.accept(change(0, 8), false)).isNotNull();
        assertThat(sync.inSync(1)).as("instruments sync separately").isFalse();
    }

    @Test
    void aSkippedNumberPutsTheBookOutOfSyncUntilTheNextPicture() {
        sync.accept(picture(0, 1), true);
        assertThat(sync.accept(change(0, 3), false)).isNull();
        assertThat(sync.inSync(0)).isFalse();
        assertThat(sync.accept(change(0, 4), false)).isNull();
        assertThat(sync.accept(picture(0, 4), true)).isNotNull();
        assertThat(sync.accept(change(0, 5), false)).isNotNull();
    }

    @Test
    void numbersRestartingAtTheIngestNodeAreTakenUpAtItsFirstPicture() {
        sync.accept(picture(0, 500), true);
        sync.accept(change(0, 501), false);
        assertThat(sync.accept(change(0, 1), false)).isNull();
        assertThat(sync.accept(picture(0, 1), true)).isNotNull();
        assertThat(sync.accept(change(0, 2), false)).isNotNull();

        sync.accept(picture(1, 40), true);
        assertThat(sync.accept(picture(1, 3), true)).as("a picture under other numbers replaces the book").isNotNull();
        assertThat(sync.resyncs()).isEqualTo(1);
    }

    private static BookUpdate change(int id, long seq) {
        return BookUpdate.builder(id, 1_000 + seq).set(BookSide.BID, 100 + seq, 1).build().withSeq(seq);
    }

    private static BookUpdate picture(int id, long seq) {
        return BookUpdate.builder(id, 1_000 + seq).replace().set(BookSide.BID, 100, 1).build().withSeq(seq);
    }
}
