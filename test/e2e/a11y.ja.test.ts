import { accessibilitySuite } from './a11ySuite';

accessibilitySuite('ja', 'ltr');
