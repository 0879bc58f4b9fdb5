import { accessibilitySuite } from './a11ySuite';

accessibilitySuite('en', 'ltr');
