import { createLogger } from '../log';

describe('Logger: a line below the level costs nothing', () => {
  it('drops an info line at level warn without reading its fields', () => {
    const log = createLogger('warn', {}, 'json');
    let reads = 0;
    const fields = {
      get principal() {
        reads += 1;
        return 'key:abc';
      },
    };
    log.info('request', fields);
    log.debug('cypher', fields);
    expect(reads).toBe(0);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('warn')).toBe(true);
  });
});
