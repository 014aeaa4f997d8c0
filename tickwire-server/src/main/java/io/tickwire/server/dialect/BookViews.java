package io.tickwire.server.dialect;

import io.tickwire.model.DepthUpdate;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The book views of an encoder, one per book stream key. A stream whose format has no
 * subscribers for a while is not fed; its next subscriber's snapshot resets the view, so a view
 * is whole whenever it is encoded for someone.
 *
 * <p>Owned by one encoder (one partition thread). Bounded by the number of book streams
 * (instruments × depths × throttles) the partition ever served in this format.
 */
public final class BookViews {

    private final Long2ObjectHashMap<BookView> views = new Long2ObjectHashMap<>();

    /** The view of the stream after applying {@code update}. */
    public BookView apply(long streamKey, DepthUpdate update) {
        BookView view = views.get(streamKey);
        if (view == null) {
            view = new BookView();
            views.put(streamKey, view);
        }
        view.apply(update);
        return view;
    }
}
