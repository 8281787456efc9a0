import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from '../router';

/**
 * The dashboard's sections. On a phone the list is one line that scrolls sideways: a fade and an arrow on the side
 * with more say so (the last section was cut with no sign it was there), and the current page is scrolled into
 * view. Wide screens wrap the list instead (styles.css), so neither cue shows there.
 */
export function MainNav({ items, current }: { items: { to: string; label: string }[]; current: string }) {
  const list = useRef<HTMLUListElement>(null);
  const [more, setMore] = useState({ before: false, after: false });

  const measure = useCallback(() => {
    const ul = list.current;
    if (!ul) return;
    // A pixel of slack: scroll positions are fractional on high-density screens.
    const before = ul.scrollLeft > 1;
    const after = ul.scrollLeft + ul.clientWidth < ul.scrollWidth - 1;
    setMore((m) => (m.before === before && m.after === after ? m : { before, after }));
  }, []);

  useLayoutEffect(() => {
    const ul = list.current;
    const link = ul?.querySelector<HTMLElement>('[aria-current="page"]');
    if (ul && link) {
      // Horizontal only: scrollIntoView would also move the page.
      const left = link.offsetLeft - ul.offsetLeft;
      if (left < ul.scrollLeft || left + link.offsetWidth > ul.scrollLeft + ul.clientWidth)
        ul.scrollLeft = left - (ul.clientWidth - link.offsetWidth) / 2;
    }
    measure();
  }, [current, measure]);

  useEffect(() => {
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [measure]);

  const scrollBy = (direction: 1 | -1) =>
    list.current?.scrollBy({ left: direction * list.current.clientWidth * 0.7, behavior: 'smooth' });

  return (
    <nav aria-label="Dashboard" className="container wide main-nav">
      <div
        className={`main-nav-scroller${more.before ? ' more-before' : ''}${more.after ? ' more-after' : ''}`}
        data-testid="main-nav-scroller"
      >
        <ul ref={list} onScroll={measure}>
          {items.map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={current === n.to ? 'page' : undefined}>
                {n.to.includes('/settings/') && <span className="nav-prefix">Settings › </span>}
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
        {/* For pointers: keyboard users reach every link by Tab, which scrolls the list by itself. */}
        {more.before && (
          <button
            type="button"
            className="main-nav-arrow before"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() => scrollBy(-1)}
          >
            ‹
          </button>
        )}
        {more.after && (
          <button
            type="button"
            className="main-nav-arrow after"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() => scrollBy(1)}
          >
            ›
          </button>
        )}
      </div>
    </nav>
  );
}
