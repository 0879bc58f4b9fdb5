import { accessibilitySuite } from './a11ySuite';

// The pseudo-locale: every text accented and ~40% longer, so clipped or overlapping text shows up.
accessibilitySuite('en-XA', 'ltr');
